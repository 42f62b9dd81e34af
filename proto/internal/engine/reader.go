package engine

import (
	"bufio"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
)

// Default limits on what the server may send.
const (
	// MaxLineLength bounds one command line, CRLF included.
	MaxLineLength = 16 << 10
	// MaxPayload bounds one payload (MSG, NOT, IPG).
	MaxPayload = 64 << 10
	// maxEmptyLines is how many empty lines in a row are tolerated.
	maxEmptyLines = 100
)

// StallTimeout bounds how long one server line, with its payload, may
// take to arrive once its first byte has come: a line that starts and
// then stops fails the connection as a stall (ErrServerSilent). It is a
// variable so that tests can shorten it.
var StallTimeout = 30 * time.Second

// BadLine is a malformed line that was read whole: the stream is still in
// step, so the reader reports it and goes on. Verb and TrID say what
// could be read of the line, so that the call it may have answered is
// not left waiting (see Conn).
type BadLine struct {
	err error
	// Verb is the line's verb or error code; "" when it is not one.
	Verb string
	// TrID is the line's transaction id when HasTrID is set.
	TrID    uint32
	HasTrID bool
}

// Error returns the description of what is wrong with the line.
func (b *BadLine) Error() string { return b.err.Error() }

// Unwrap returns the *ProtocolError.
func (b *BadLine) Unwrap() error { return b.err }

// readDeadliner is a source whose reads can be given a deadline (a
// net.Conn).
type readDeadliner interface {
	SetReadDeadline(time.Time) error
}

// Reader reads server commands with bounded memory.
type Reader struct {
	br      *bufio.Reader
	dialect Protocol
	// dl sets read deadlines on the source, when it takes them; armed
	// says a deadline is set.
	dl    readDeadliner
	armed bool
}

// NewReader reads server lines of the given dialect from r. The dialect
// decides which list lines carry a TrID (see the verb table). When r
// takes read deadlines (a net.Conn), a line that has begun to arrive
// must be complete, payload included, within StallTimeout.
func NewReader(r io.Reader, dialect Protocol) *Reader {
	dl, _ := r.(readDeadliner)
	return &Reader{br: bufio.NewReaderSize(r, MaxLineLength), dialect: dialect, dl: dl}
}

// Read reads the next command and its payload, and returns the line as
// read. A *BadLine error leaves the stream usable; any other error is
// fatal for the connection.
// A bare LF ends a line as well as CRLF; payload bytes are never altered.
// Waiting for a line to begin is not bounded; a line that has begun must
// end within StallTimeout, or Read fails with a timeout error.
func (r *Reader) Read() (*Command, string, error) {
	if err := r.begin(); err != nil {
		return nil, "", err
	}
	return r.read()
}

// begin waits, without a deadline, for the first byte of the next line,
// and then gives the rest of the line StallTimeout to arrive.
func (r *Reader) begin() error {
	if r.dl == nil {
		return nil
	}
	if r.br.Buffered() == 0 {
		if r.armed {
			_ = r.dl.SetReadDeadline(time.Time{})
			r.armed = false
		}
		if _, err := r.br.Peek(1); err != nil {
			return err
		}
	}
	r.armed = true
	// A failure here (a closed connection) shows in the next read.
	_ = r.dl.SetReadDeadline(time.Now().Add(StallTimeout))
	return nil
}

// read reads one command; see Read.
func (r *Reader) read() (*Command, string, error) {
	for empty := 0; ; empty++ {
		raw, err := r.br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, "", ErrLineTooLong
		}
		if err != nil {
			if err == io.EOF && len(raw) > 0 {
				err = io.ErrUnexpectedEOF
			}
			return nil, "", err
		}
		line := strings.TrimSuffix(strings.TrimSuffix(string(raw), "\n"), "\r")
		if line == "" {
			if empty >= maxEmptyLines {
				return nil, "", ProtocolErrorf("too many empty lines")
			}
			continue
		}
		cmd, err := r.parse(line)
		return cmd, line, err
	}
}

// parse splits a line into a Command and reads its payload.
func (r *Reader) parse(line string) (*Command, error) {
	fields := strings.Split(line, " ")
	verb := fields[0]
	fields = fields[1:]
	_, isPayload := serverPayloadVerbs[verb]
	if err := checkFields(verb, fields); err != nil {
		if isPayload {
			return nil, err // the payload length cannot be trusted: out of step
		}
		return nil, r.badLine(verb, fields, err)
	}
	cmd := &Command{Verb: verb}
	if hasTrID(verb, fields, r.dialect) {
		if len(fields) == 0 {
			return nil, r.badLine(verb, fields, ProtocolErrorf("%s: missing transaction id", verb))
		}
		id, err := strconv.ParseUint(fields[0], 10, 32)
		if err != nil || !IsDigits(fields[0]) {
			return nil, r.badLine(verb, fields, ProtocolErrorf("%s: bad transaction id", verb))
		}
		cmd.TrID, cmd.HasTrID = uint32(id), true
		fields = fields[1:]
	}
	cmd.Args = fields
	if isPayload {
		n, err := payloadLength(verb, fields)
		if err != nil {
			return nil, err
		}
		cmd.Args = fields[:len(fields)-1]
		cmd.Payload = make([]byte, n)
		if _, err := io.ReadFull(r.br, cmd.Payload); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		return cmd, nil
	}
	if _, known := serverVerbs[verb]; !known && !IsErrorCode(verb) && len(fields) > 0 && IsDigits(fields[len(fields)-1]) {
		// An unknown verb that ends in a number may be an unknown payload
		// command; reading on would misread its payload as commands.
		return nil, ProtocolErrorf("unknown command %q that may carry a payload", verb)
	}
	return cmd, nil
}

// badLine describes a malformed line with what can be read of it: the
// verb when it is one, and the TrID when the verb takes one and the field
// is a number.
func (r *Reader) badLine(verb string, fields []string, err error) *BadLine {
	b := &BadLine{err: err}
	if !isVerb(verb) {
		return b
	}
	b.Verb = verb
	if hasTrID(verb, fields, r.dialect) && len(fields) > 0 && IsDigits(fields[0]) {
		if id, perr := strconv.ParseUint(fields[0], 10, 32); perr == nil {
			b.TrID, b.HasTrID = uint32(id), true
		}
	}
	return b
}

// checkFields validates the shape of a line: an upper-case verb or error
// code, and non-empty fields free of control characters.
func checkFields(verb string, fields []string) error {
	if !isVerb(verb) {
		return ProtocolErrorf("malformed command %q", EscapeForError(verb))
	}
	for _, f := range fields {
		if f == "" {
			return ProtocolErrorf("%s: empty field", verb)
		}
		for i := 0; i < len(f); i++ {
			if f[i] < ' ' || f[i] == 0x7f {
				return ProtocolErrorf("%s: control character in field", verb)
			}
		}
	}
	return nil
}

// payloadLength parses the length field of a payload command: at most six
// ASCII digits and no more than MaxPayload.
func payloadLength(verb string, fields []string) (int, error) {
	idx := serverPayloadVerbs[verb]
	if len(fields) != idx+1 {
		return 0, ProtocolErrorf("%s: want %d fields, got %d", verb, idx+1, len(fields))
	}
	s := fields[idx]
	if !IsDigits(s) || len(s) > 6 {
		return 0, ProtocolErrorf("%s: bad payload length", verb)
	}
	n, _ := strconv.Atoi(s)
	if n > MaxPayload {
		return 0, ProtocolErrorf("%s: payload of %d bytes exceeds %d", verb, n, MaxPayload)
	}
	return n, nil
}

// isVerb reports whether s is three upper-case letters or three digits.
func isVerb(s string) bool {
	if len(s) != 3 {
		return false
	}
	if IsDigits(s) {
		return true
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// EscapeForError quotes at most 32 bytes of s for an error message.
func EscapeForError(s string) string {
	if len(s) > 32 {
		s = s[:32]
	}
	return strconv.Quote(s)[1 : len(strconv.Quote(s))-1]
}
