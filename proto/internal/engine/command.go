package engine

import (
	"strconv"
	"strings"
)

// Command is one protocol line, with its payload for payload commands
// (MSG, NOT, IPG, QRY).
type Command struct {
	// Verb is the three-letter command, or a three-digit error code.
	Verb string
	// TrID is the transaction id; meaningful only when HasTrID is true.
	TrID    uint32
	HasTrID bool
	// Args are the parameters after the TrID. For a payload command the
	// last argument is the payload length, filled in on encoding.
	Args    []string
	Payload []byte
}

// Arg returns the i-th argument, or "" when there is none.
func (c *Command) Arg(i int) string {
	if i < 0 || i >= len(c.Args) {
		return ""
	}
	return c.Args[i]
}

// IsErrorCode reports whether verb is a three-digit error code.
func IsErrorCode(verb string) bool {
	return len(verb) == 3 && IsDigits(verb)
}

// IsDigits reports whether s is a non-empty string of ASCII digits.
func IsDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// encode renders c as it goes on the wire: the line, CRLF, then the
// payload when the verb carries one.
func (c *Command) encode() []byte {
	var b strings.Builder
	b.WriteString(c.Verb)
	if c.HasTrID {
		b.WriteByte(' ')
		b.WriteString(strconv.FormatUint(uint64(c.TrID), 10))
	}
	for _, a := range c.Args {
		b.WriteByte(' ')
		b.WriteString(a)
	}
	if clientPayloadVerbs[c.Verb] {
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(len(c.Payload)))
	}
	b.WriteString("\r\n")
	if clientPayloadVerbs[c.Verb] {
		b.Write(c.Payload)
	}
	return []byte(b.String())
}

// ValidArg reports whether a may be sent as one argument: non-empty, and
// free of spaces and control characters, so it cannot split or end the
// line.
func ValidArg(a string) bool {
	if a == "" {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] <= ' ' || a[i] == 0x7f {
			return false
		}
	}
	return true
}
