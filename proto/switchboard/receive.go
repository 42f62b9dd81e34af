package switchboard

import (
	"strings"

	"msn/proto"
	"msn/proto/internal/engine"
)

// messageEvent turns a switchboard MSG into its event. A payload without
// headers is malformed; client capability messages are dropped; every
// other content type is delivered.
func messageEvent(cmd *proto.Command) Event {
	m, err := proto.ParseMessage(cmd.Payload)
	if err != nil {
		return &Malformed{Err: err}
	}
	if len(m.Headers) == 0 {
		return &Malformed{Err: engine.ProtocolErrorf("MSG: message without headers")}
	}
	from, name := cmd.Arg(0), engine.DecodeName(cmd.Arg(1))
	ct := m.ContentType()
	switch ct {
	case "text/x-clientcaps":
		return nil
	case "text/x-msmsgscontrol":
		if m.Get("TypingUser") != "" {
			return &Typing{Email: from, Name: name}
		}
	case "text/x-msmsgsinvite":
		inv := parseInvitation(m.Body)
		inv.From, inv.FromName = from, name
		return inv
	}
	ev := &IncomingMessage{From: from, FromName: name, ContentType: ct, Message: m}
	if ct == "text/plain" {
		ev.Text = decodeText(m.Body, m.Get("Content-Type"))
		if v := m.Get("X-MMS-IM-Format"); v != "" {
			ev.Format = ParseTextFormat(v)
		}
	}
	return ev
}

// decodeText decodes a text body by the charset of its Content-Type:
// Latin-1 when there is none (or it names Latin-1 or Windows-1252), UTF-8
// otherwise, with invalid bytes replaced by U+FFFD.
func decodeText(body []byte, contentType string) string {
	cs, ok := charsetParam(contentType)
	if !ok || latin1Names[strings.ToLower(cs)] {
		return latin1(body)
	}
	return strings.ToValidUTF8(string(body), "\uFFFD")
}

var latin1Names = map[string]bool{
	"iso-8859-1": true, "iso8859-1": true, "latin1": true, "latin-1": true, "l1": true,
	"windows-1252": true, "cp1252": true,
}

// charsetParam returns the charset parameter of a Content-Type value,
// read leniently, and whether there is one.
func charsetParam(contentType string) (string, bool) {
	params := strings.Split(contentType, ";")
	for _, p := range params[1:] {
		k, v, _ := strings.Cut(p, "=")
		if strings.EqualFold(strings.TrimSpace(k), "charset") {
			return strings.Trim(strings.TrimSpace(v), `"`), true
		}
	}
	return "", false
}

// latin1 decodes ISO-8859-1: each byte is the code point of its value.
func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}
