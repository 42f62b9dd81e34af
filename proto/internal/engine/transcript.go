package engine

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"

	"msn/proto/display"
)

// redacted replaces secret values in the debug transcript.
const redacted = "[REDACTED]"

// sensitiveHeaders are payload header fields whose values are credentials
// (the profile message's Passport cookie and session values, MSNFTP
// cookies).
var sensitiveHeaders = map[string]bool{
	"mspauth": true, "sid": true, "kv": true, "authcookie": true, "mspprof": true,
}

// Transcript writes the wire transcript of one connection, with
// passwords, tickets and session cookies redacted. A nil *Transcript
// writes nothing.
type Transcript struct {
	mu   sync.Mutex
	w    io.Writer
	peer string
}

// NewTranscript returns a transcript written to w, each line prefixed
// with peer; nil when w is nil.
func NewTranscript(w io.Writer, peer string) *Transcript {
	if w == nil {
		return nil
	}
	return &Transcript{w: w, peer: peer}
}

// sent records a client command.
func (t *Transcript) sent(cmd *Command) {
	if t == nil {
		return
	}
	shown := *cmd
	shown.Args = redactArgs(cmd)
	line := strings.TrimSuffix(strings.SplitN(string(shown.encode()), "\r\n", 2)[0], "\r\n")
	t.print("C:", display.Escape(line), cmd.Payload)
}

// received records a server line, escaped for display; cmd is nil for a
// malformed line.
func (t *Transcript) received(line string, cmd *Command) {
	if t == nil {
		return
	}
	var payload []byte
	if cmd != nil {
		payload = cmd.Payload
		line = redactCookie(line, cmd)
	}
	t.print("S:", display.Escape(line), payload)
}

// redactCookie hides the switchboard cookie the server hands out in
// "XFR n SB addr CKI cookie" and "RNG session addr CKI cookie …": it
// authenticates whoever presents it first.
func redactCookie(line string, cmd *Command) string {
	i := -1
	switch {
	case cmd.Verb == "XFR" && cmd.Arg(0) == "SB" && cmd.Arg(2) == "CKI":
		i = 3
	case cmd.Verb == "RNG" && cmd.Arg(2) == "CKI":
		i = 3
	}
	if i < 0 || i >= len(cmd.Args) {
		return line
	}
	fields := strings.Split(line, " ")
	off := len(fields) - len(cmd.Args) // verb and TrID come first
	fields[off+i] = redacted
	return strings.Join(fields, " ")
}

func (t *Transcript) print(dir, line string, payload []byte) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s\n", t.peer, dir, line)
	for _, pl := range redactPayload(payload) {
		fmt.Fprintf(&b, "%s    | %s\n", t.peer, pl)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	_, _ = io.WriteString(t.w, b.String())
}

// Note writes a free-form line (Passport steps, referrals), with the
// characters display.Escape names escaped, as a server may supply part of
// it. The caller keeps secrets out of it.
func (t *Transcript) Note(format string, args ...any) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(t.w, "%s -- %s\n", t.peer, display.Escape(fmt.Sprintf(format, args...)))
}

// redactArgs hides the credential of USR … S (the Passport ticket, or the
// MD5 hash that could be attacked offline).
func redactArgs(cmd *Command) []string {
	if cmd.Verb == "USR" && len(cmd.Args) >= 3 && cmd.Args[1] == "S" {
		args := append([]string(nil), cmd.Args...)
		args[2] = redacted
		return args
	}
	if cmd.Verb == "USR" || cmd.Verb == "ANS" {
		// Switchboard cookies authenticate a session.
		if len(cmd.Args) >= 2 && strings.Contains(cmd.Args[0], "@") {
			args := append([]string(nil), cmd.Args...)
			args[1] = redacted
			return args
		}
	}
	return cmd.Args
}

// redactPayload splits a payload into lines escaped for display, hiding
// the values of sensitive header fields.
func redactPayload(p []byte) []string {
	if len(p) == 0 {
		return nil
	}
	var out []string
	for _, l := range bytes.Split(bytes.TrimRight(p, "\r\n"), []byte("\n")) {
		s := strings.TrimSuffix(string(l), "\r")
		if k, _, ok := strings.Cut(s, ":"); ok && sensitiveHeaders[strings.ToLower(strings.TrimSpace(k))] {
			s = k + ": " + redacted
		}
		out = append(out, display.Escape(s))
	}
	return out
}
