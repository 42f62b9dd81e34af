package proto

import (
	"bytes"
	"mime"
	"strings"
)

// Limits on the header block of a message payload.
const (
	maxHeaders     = 64
	maxHeaderBytes = 8 << 10
)

// Header is one "Name: value" line of a message, in wire order and case.
type Header struct {
	Name, Value string
}

// Message is a MIME-style message payload: header lines, a blank line,
// and a body. Headers keep their order and spelling, which some clients
// depend on.
type Message struct {
	Headers []Header
	Body    []byte
}

// Get returns the value of the first header named name, compared without
// regard to case, or "".
func (m *Message) Get(name string) string {
	for _, h := range m.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// Set replaces the first header named name, or appends one.
func (m *Message) Set(name, value string) {
	for i, h := range m.Headers {
		if strings.EqualFold(h.Name, name) {
			m.Headers[i].Value = value
			return
		}
	}
	m.Headers = append(m.Headers, Header{name, value})
}

// ContentType returns the media type without parameters, lower case.
func (m *Message) ContentType() string {
	mt, _, err := mime.ParseMediaType(m.Get("Content-Type"))
	if err != nil {
		t, _, _ := strings.Cut(m.Get("Content-Type"), ";")
		return strings.ToLower(strings.TrimSpace(t))
	}
	return mt
}

// Charset returns the charset parameter of Content-Type, or "".
func (m *Message) Charset() string {
	_, params, err := mime.ParseMediaType(m.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return params["charset"]
}

// Bytes encodes the message with CRLF line ends.
func (m *Message) Bytes() []byte {
	var b bytes.Buffer
	for _, h := range m.Headers {
		b.WriteString(h.Name)
		b.WriteString(": ")
		b.WriteString(h.Value)
		b.WriteString("\r\n")
	}
	b.WriteString("\r\n")
	b.Write(m.Body)
	return b.Bytes()
}

// ParseMessage splits a payload into headers and body. Lines may end in
// CRLF or LF. A payload without a blank line is all headers. Header names
// are split from values at the first colon.
func ParseMessage(p []byte) (*Message, error) {
	m := &Message{}
	rest := p
	for {
		if len(rest) == 0 {
			return m, nil
		}
		line, after, found := bytes.Cut(rest, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			if found {
				m.Body = after
			}
			return m, nil
		}
		if len(line) > maxHeaderBytes {
			return nil, protocolErrorf("message header too long")
		}
		if len(m.Headers) == maxHeaders {
			return nil, protocolErrorf("more than %d message headers", maxHeaders)
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || len(bytes.TrimSpace(name)) == 0 {
			return nil, protocolErrorf("malformed message header")
		}
		m.Headers = append(m.Headers, Header{
			Name:  string(bytes.TrimSpace(name)),
			Value: string(bytes.TrimSpace(value)),
		})
		if !found {
			return m, nil
		}
		rest = after
	}
}
