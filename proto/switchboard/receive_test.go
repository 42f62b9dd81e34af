package switchboard

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"msn/proto"
)

// receive turns a payload from bob into its event.
func receive(payload string) Event {
	return messageEvent(&proto.Command{Verb: "MSG", Args: []string{"bob@example.com", "Bob%20B."}, Payload: []byte(payload)})
}

func TestReceiveText(t *testing.T) {
	// hostile-inputs.md §2.3.
	for _, tc := range []struct {
		name, payload, text, ct string
	}{
		{"utf-8", "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nhéllo", "héllo", "text/plain"},
		{"no charset is latin-1", "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nh\xe9llo", "héllo", "text/plain"},
		{"#37 LF only", "MIME-Version: 1.0\nContent-Type: text/plain\n\nhi", "hi", "text/plain"},
		{"#35 first content type wins", "Content-Type: text/plain; charset=UTF-8\r\nContent-Type: text/x-msmsgscontrol\r\nTypingUser: x\r\n\r\nhi", "hi", "text/plain"},
		{"#40 charset UTF-8.0", "Content-Type: text/plain; charset=UTF-8.0\r\n\r\n\xc3\xa9\xff", "é\uFFFD", "text/plain"},
		{"#40 utf-16le", "Content-Type: text/plain; charset=utf-16le\r\n\r\nab", "ab", "text/plain"},
		{"#40 x-unknown", "Content-Type: text/plain; charset=x-unknown\r\n\r\n\xe9", "\uFFFD", "text/plain"},
		{"#40 empty charset", "Content-Type: text/plain; charset=\r\n\r\nok", "ok", "text/plain"},
		{"#40 quoted latin1", "Content-Type: text/plain; charset=\"ISO-8859-1\"\r\n\r\n\xe9", "é", "text/plain"},
		{"#41 invalid UTF-8", "Content-Type: text/plain; charset=UTF-8\r\n\r\n\xff\xfe\xc3\x28", "\uFFFD(", "text/plain"},
		{"upper-case type", "Content-Type: TEXT/PLAIN; charset=utf-8\r\n\r\nx", "x", "text/plain"},
		{"#44 unknown type", "Content-Type: text/x-mms-emoticon\r\n\r\n:)", "", "text/x-mms-emoticon"},
		{"#44 sessionreqbody", "Content-Type: application/x-msnmsgr-sessionreqbody\r\n\r\nx", "", "application/x-msnmsgr-sessionreqbody"},
		{"no content type", "MIME-Version: 1.0\r\n\r\nx", "", ""},
		{"control without TypingUser", "Content-Type: text/x-msmsgscontrol\r\n\r\n", "", "text/x-msmsgscontrol"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, ok := receive(tc.payload).(*IncomingMessage)
			if !ok {
				t.Fatalf("event = %#v", receive(tc.payload))
			}
			if m.Text != tc.text || m.ContentType != tc.ct || m.From != "bob@example.com" || m.FromName != "Bob B." {
				t.Errorf("got text %q type %q from %q %q; want %q %q", m.Text, m.ContentType, m.From, m.FromName, tc.text, tc.ct)
			}
			if !utf8.ValidString(m.Text) {
				t.Errorf("text not valid UTF-8: %q", m.Text)
			}
		})
	}
}

func TestReceiveRawBodyKept(t *testing.T) {
	m := receive("Content-Type: text/plain; charset=UTF-8\r\n\r\n\xff\xfe\xc3\x28").(*IncomingMessage)
	if string(m.Message.Body) != "\xff\xfe\xc3\x28" {
		t.Errorf("raw body = %q", m.Message.Body)
	}
}

func TestReceiveMalformed(t *testing.T) {
	// #29 empty payload, #34 a header line without a colon (the message
	// is rejected), too many headers.
	for name, p := range map[string]string{
		"empty":      "",
		"no colon":   "MIME-Version: 1.0\r\nGarbage line\r\nContent-Type: text/plain\r\n\r\nhi",
		"blank only": "\r\n",
		"headers":    strings.Repeat("X-A: b\r\n", 65) + "\r\nhi",
		"long":       "X-A: " + strings.Repeat("b", 9000) + "\r\n\r\nhi",
	} {
		if _, ok := receive(p).(*Malformed); !ok {
			t.Errorf("%s: event = %#v, want Malformed", name, receive(p))
		}
	}
}

func TestReceiveAbusiveFormat(t *testing.T) {
	// §2.3 #38: bounded, bad attributes ignored, text delivered.
	v := "FN=" + strings.Repeat("A", 8000) + "; CO=zzzzzz; CS=-1; EF=" + strings.Repeat("BIUS", 200) + "; PF=999"
	m := receive("Content-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: " + v[:8000] + "\r\n\r\nhi").(*IncomingMessage)
	if m.Text != "hi" || m.Format == nil || m.Format.Font != "" {
		t.Errorf("got %+v format %+v", m, m.Format)
	}
	f := ParseTextFormat(v)
	if *f != (TextFormat{Effects: "BIUS"}) {
		t.Errorf("format = %+v", f)
	}
}

func TestReceiveControlMessages(t *testing.T) {
	if e := receive("MIME-Version: 1.0\r\nContent-Type: text/x-clientcaps\r\n\r\nClient-Name: x\r\n"); e != nil {
		t.Errorf("client caps = %#v, want no event", e)
	}
	// The sender named by the server counts, not the header.
	ty, ok := receive("MIME-Version: 1.0\r\nContent-Type: text/x-msmsgscontrol\r\nTypingUser: mallory@example.com\r\n\r\n\r\n").(*Typing)
	if !ok || ty.Email != "bob@example.com" || ty.Name != "Bob B." {
		t.Errorf("typing = %#v", ty)
	}
}

func TestParseInvitation(t *testing.T) {
	inv := parseInvitation([]byte("\r\nInvitation-Command: ACCEPT\r\ninvitation-cookie: 31337\r\nInvitation-Cookie: 666\r\n" +
		"Request-Data: IP-Address:\r\nno colon here\r\n: empty key\r\nIP-Address: 127.0.0.1\r\n\r\nAfter: blank\r\n"))
	if inv.Command != "ACCEPT" || inv.Cookie != "31337" || inv.Field("Request-Data") != "IP-Address:" ||
		inv.Field("IP-Address") != "127.0.0.1" || inv.Field("After") != "" || inv.Size != -1 || len(inv.Fields) != 4 {
		t.Errorf("invitation = %+v", inv)
	}
	for size, want := range map[string]int64{"0": 0, "2900": 2900, "-1": -1, "": -1, "abc": -1, "1e9": -1,
		"0x10": -1, "99999999999999999999": -1, " 12": 12, "9223372036854775807": 9223372036854775807, "9223372036854775808": -1} {
		inv := parseInvitation([]byte("Application-FileSize:" + size + "\r\n"))
		if inv.Size != want {
			t.Errorf("size %q = %d, want %d", size, inv.Size, want)
		}
	}
	var b strings.Builder
	for i := 0; i < 1000; i++ {
		b.WriteString("F" + strings.Repeat("x", i%7) + fmt.Sprint(i) + ": v\r\n")
	}
	if inv := parseInvitation([]byte(b.String())); len(inv.Fields) != maxInviteFields {
		t.Errorf("%d fields kept", len(inv.Fields))
	}
}
