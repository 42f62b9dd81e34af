package engine

import (
	"bufio"
	"errors"
	"io"
	"strconv"
	"strings"
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

// BadLine is a malformed line that was read whole: the stream is still in
// step, so the reader reports it and goes on.
type BadLine struct {
	err error
}

// Error returns the description of what is wrong with the line.
func (b *BadLine) Error() string { return b.err.Error() }

// Unwrap returns the *ProtocolError.
func (b *BadLine) Unwrap() error { return b.err }

// Reader reads server commands with bounded memory.
type Reader struct {
	br      *bufio.Reader
	dialect Protocol
}

// NewReader reads server lines of the given dialect from r. The dialect
// decides which list lines carry a TrID (see the verb table).
func NewReader(r io.Reader, dialect Protocol) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, MaxLineLength), dialect: dialect}
}

// Read reads the next command and its payload, and returns the line as
// read. A *BadLine error leaves the stream usable; any other error is
// fatal for the connection.
// A bare LF ends a line as well as CRLF; payload bytes are never altered.
func (r *Reader) Read() (*Command, string, error) {
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
		return nil, &BadLine{err}
	}
	cmd := &Command{Verb: verb}
	if hasTrID(verb, fields, r.dialect) {
		if len(fields) == 0 {
			return nil, &BadLine{ProtocolErrorf("%s: missing transaction id", verb)}
		}
		id, err := strconv.ParseUint(fields[0], 10, 32)
		if err != nil || !IsDigits(fields[0]) {
			return nil, &BadLine{ProtocolErrorf("%s: bad transaction id", verb)}
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
