package msntest

import (
	"bytes"
	"io"
	"net"
	"strings"
	"time"
)

// faultConn is one connection forwarded by a FaultProxy: in from the
// client, out to the target.
type faultConn struct {
	p       *FaultProxy
	in, out net.Conn
}

// pump copies src to dst, watching for r (nil: none) and injecting its
// fault when it fires.
func (f *faultConn) pump(dst, src net.Conn, r *Rule) {
	w := &trigger{rule: r, lineStart: true}
	send := func(b []byte) error { _, err := dst.Write(b); return err }
	buf := make([]byte, 32<<10)
	var held []byte
	for {
		n, err := src.Read(buf)
		if n > 0 {
			data := append(held, buf[:n]...)
			fwd, rest, hit, keep := w.scan(data)
			held = keep
			if werr := send(fwd); werr != nil {
				break
			}
			if hit {
				if !f.inject(dst, src, r, rest) {
					return
				}
				send = func(b []byte) error { return f.drip(dst, b, r.Interval) }
			}
		}
		if err != nil {
			break
		}
	}
	if send(held) == nil {
		closeWrite(dst)
	}
}

// inject does r's fault with rest, the bytes read from src at and after
// the fault point. It reports true when forwarding goes on (Drip), which
// it has then started with rest.
func (f *faultConn) inject(dst, src net.Conn, r *Rule, rest []byte) bool {
	f.p.fire()
	switch r.Fault {
	case Reset:
		for _, c := range []net.Conn{f.in, f.out} {
			if tc, ok := c.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			c.Close()
		}
	case Cut:
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line = rest[:i+1]
		}
		_, _ = dst.Write(line[:len(line)/2])
		f.closeBoth()
	case Truncate:
		f.closeBoth()
	case Stall:
		// Read and drop until the sender gives up (or Close), so that its
		// end of the connection is noticed and passed on.
		_, _ = io.Copy(io.Discard, src)
		f.closeBoth()
	case Drip:
		return f.drip(dst, rest, r.Interval) == nil
	}
	return false
}

// closeBoth closes the client's and the target's connections.
func (f *faultConn) closeBoth() {
	f.in.Close()
	f.out.Close()
}

// drip writes b to dst one byte per interval (100 ms when 0).
func (f *faultConn) drip(dst net.Conn, b []byte, interval time.Duration) error {
	if interval <= 0 {
		interval = 100 * time.Millisecond
	}
	for i := range b {
		t := time.NewTimer(interval)
		select {
		case <-t.C:
		case <-f.p.done:
			t.Stop()
			return net.ErrClosed
		}
		if _, err := dst.Write(b[i : i+1]); err != nil {
			return err
		}
	}
	return nil
}

// closeWrite passes the end of one half of a connection on.
func closeWrite(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
		return
	}
	c.Close()
}

// trigger finds where a rule fires in the bytes of one direction.
type trigger struct {
	rule      *Rule
	fired     bool
	off       int64 // bytes forwarded so far
	lineStart bool  // the next byte starts a line
	seen      int   // lines that matched On so far
}

// scan splits data, the next bytes in the direction, into what to
// forward now, and either the rest from the fault point on (hit) or a
// tail to hold back until more bytes tell whether it starts a matching
// line (keep).
func (w *trigger) scan(data []byte) (fwd, rest []byte, hit bool, keep []byte) {
	r := w.rule
	switch {
	case r == nil || w.fired:
		return data, nil, false, nil
	case r.On == "":
		if w.off+int64(len(data)) < r.At {
			w.off += int64(len(data))
			return data, nil, false, nil
		}
		i := max(r.At-w.off, 0)
		w.fired = true
		return data[:i], data[i:], true, nil
	}
	nth := max(r.Nth, 1)
	for i := 0; i < len(data); {
		if i > 0 || w.lineStart {
			line := data[i:]
			switch {
			case bytes.HasPrefix(line, []byte(r.On)):
				if w.seen++; w.seen == nth {
					w.fired = true
					return data[:i], data[i:], true, nil
				}
			case len(line) < len(r.On) && strings.HasPrefix(r.On, string(line)):
				w.off += int64(i)
				w.lineStart = true
				return data[:i], nil, false, line
			}
		}
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
	}
	w.off += int64(len(data))
	w.lineStart = data[len(data)-1] == '\n'
	return data, nil, false, nil
}
