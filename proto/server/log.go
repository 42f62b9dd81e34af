package server

import (
	"fmt"
	"strings"
)

const redacted = "[REDACTED]"

// logLine writes a client line to the wire log, hiding credentials: the
// MD5 hash or ticket of "USR ... S" and switchboard cookies.
func (s *Server) logLine(c *conn, f []string) {
	if s.cfg.Log == nil {
		return
	}
	f = append([]string(nil), f...)
	switch {
	case len(f) >= 5 && f[0] == "USR" && f[3] == "S":
		f = append(f[:4], redacted)
	case c.role == roleSB && len(f) >= 4 && (f[0] == "USR" || f[0] == "ANS"):
		f[3] = redacted
	}
	s.logf("[%s %s] C> %s", c.role, c.nc.RemoteAddr(), strings.Join(f, " "))
}

// logWire writes the first line of a server write to the wire log, hiding
// switchboard cookies.
func (s *Server) logWire(c *conn, dir string, b []byte) {
	if s.cfg.Log == nil {
		return
	}
	line, _, _ := strings.Cut(string(b), "\r\n")
	f := strings.Fields(line)
	for i := 0; i+1 < len(f); i++ {
		if f[i] == "CKI" {
			f[i+1] = redacted
		}
	}
	s.logf("[%s %s] %s %s", c.role, c.nc.RemoteAddr(), dir, strings.Join(f, " "))
}

func (s *Server) logf(format string, args ...any) {
	if s.cfg.Log == nil {
		return
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.cfg.Log, format+"\n", args...)
}
