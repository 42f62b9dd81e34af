package switchboard

import (
	"fmt"
	"strings"

	"msn/proto"
)

// MaxMessageSize is the largest MSG payload a switchboard accepts, in
// bytes, headers included; a longer one makes the server drop the
// connection.
const MaxMessageSize = 1664

// TextMessage returns a plain-text message: MIME-Version first,
// Content-Type (UTF-8) second, then X-MMS-IM-Format from f, or from
// DefaultTextFormat when f is nil. The text is used as given; it must fit
// in MaxMessageSize (SendText splits long texts).
func TextMessage(text string, f *TextFormat) *proto.Message {
	if f == nil {
		f = DefaultTextFormat()
	}
	return &proto.Message{
		Headers: []proto.Header{
			{Name: "MIME-Version", Value: "1.0"},
			{Name: "Content-Type", Value: "text/plain; charset=UTF-8"},
			{Name: "X-MMS-IM-Format", Value: f.String()},
		},
		Body: []byte(text),
	}
}

// textMessages prepares text for sending: invalid UTF-8 becomes U+FFFD,
// a bare LF becomes CRLF (the line break the protocol defines), and a
// text too long for one message is split into several, in order.
func textMessages(text string, f *TextFormat) ([]*proto.Message, error) {
	if text == "" {
		return nil, fmt.Errorf("%w: empty message", proto.ErrInvalidArgument)
	}
	if f == nil {
		f = DefaultTextFormat()
	}
	if err := f.validate(); err != nil {
		return nil, err
	}
	text = crlf(strings.ToValidUTF8(text, "\uFFFD"))
	room := MaxMessageSize - len(TextMessage("", f).Bytes())
	var msgs []*proto.Message
	for _, part := range splitText(text, room) {
		msgs = append(msgs, TextMessage(part, f))
	}
	return msgs, nil
}

// crlf turns every LF not preceded by CR into CRLF.
func crlf(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' && (i == 0 || s[i-1] != '\r') {
			b.WriteByte('\r')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
