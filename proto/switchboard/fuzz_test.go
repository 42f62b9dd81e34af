package switchboard

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"msn/proto"
)

// FuzzParseMessage feeds arbitrary MSG payloads to the message parser and
// to the switchboard's event path: no panic, bounded headers, valid UTF-8
// text, and whatever parses encodes and parses back the same.
func FuzzParseMessage(f *testing.F) {
	for _, seed := range []string{
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=Arial; EF=; CO=0; CS=0; PF=22\r\n\r\nHello Bob",
		"MIME-Version: 1.0\r\nContent-Type: text/x-msmsgscontrol\r\nTypingUser: a@b.com\r\n\r\n\r\n",
		"MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinvite; charset=UTF-8\r\n\r\nInvitation-Command: ACCEPT\r\nInvitation-Cookie: 31337\r\nRequest-Data: IP-Address:\r\n\r\n",
		"MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinvite\r\n\r\nApplication-FileSize: 99999999999999999999\r\nApplication-File: ../../.bashrc\r\nInvitation-Cookie: -1\r\n",
		"",
		"\r\n",
		"hello\r\nOUT\r\n",
		"MIME-Version: 1.0\r\nGarbage line\r\n\r\nx",
		"Content-Type: text/plain\r\nContent-Type: text/html\r\n\r\nx",
		"MIME-Version: 1.0\nContent-Type: text/plain\n\nhi",
		"Content-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=" + strings.Repeat("A", 8000) + "; CO=zzzzzz; CS=-1; EF=BIUSBIUS; PF=999\r\n\r\nx",
		"Content-Type: text/plain; charset=utf-16le\r\n\r\n\xff\xfe\xc3\x28",
		"Content-Type: text/plain; charset=\r\n\r\n",
		"Content-Type: application/x-msnmsgrp2p\r\n\r\n\x00\x01\x02",
		"Content-Type: text/x-clientcaps\r\n\r\nClient-Name: x\r\n",
		strings.Repeat("A: b\r\n", 70),
		"X:\r\n \r\n\r\n",
		"Content-Type: text/plain; charset=\"\r\n\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		m, err := proto.ParseMessage(p)
		if err == nil {
			if len(m.Headers) > maxHeaders {
				t.Fatalf("%d headers", len(m.Headers))
			}
			again, err := proto.ParseMessage(m.Bytes())
			if err != nil {
				t.Fatalf("re-parse of %q: %v", m.Bytes(), err)
			}
			if len(again.Headers) != len(m.Headers) || !bytes.Equal(again.Body, m.Body) {
				t.Fatalf("round trip changed %+v into %+v", m, again)
			}
			for i := range m.Headers {
				if m.Headers[i] != again.Headers[i] {
					t.Fatalf("header %q became %q", m.Headers[i], again.Headers[i])
				}
			}
		}
		switch e := receive(string(p)).(type) {
		case *IncomingMessage:
			if !utf8.ValidString(e.Text) {
				t.Fatalf("text not valid UTF-8: %q", e.Text)
			}
		case *Invitation:
			if len(e.Fields) > maxInviteFields || e.Size < -1 {
				t.Fatalf("invitation %+v", e)
			}
		}
	})
}

// FuzzTextFormat checks that the X-MMS-IM-Format parser never fails,
// stays within its limits, and that what it reads renders and reads back
// the same.
func FuzzTextFormat(f *testing.F) {
	for _, seed := range []string{
		"FN=Arial; EF=; CO=0; CS=0; PF=22",
		"FN=MS%20Shell%20Dlg; EF=; CO=0; CS=0; PF=0",
		"PF=31; CO=ff0000; FN=Courier%20New; EF=BIUS; RL=1; CS=80",
		"FN=" + strings.Repeat("A", 8000) + "; CO=zzzzzz; CS=-1; EF=" + strings.Repeat("BIUS", 100) + "; PF=999",
		"FN=%ZZ%4; FN=x;;;;=;CO=;CS=ffff",
		"fn=\t a%3Bb%25 \t; ef=biu",
		"FN=\xff\xfe; EF=\xc5\xbf",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		tf := ParseTextFormat(v)
		if len(tf.Font) > maxFontName || tf.Effects != normalizeEffects(tf.Effects) || tf.Color > 0xffffff {
			t.Fatalf("out of bounds: %+v", tf)
		}
		s := tf.String()
		if strings.ContainsAny(s, "\r\n") {
			t.Fatalf("rendered format breaks the header: %q", s)
		}
		if again := ParseTextFormat(s); *again != *tf {
			t.Fatalf("%q read %+v, rendered %q, read back %+v", v, *tf, s, *again)
		}
	})
}

// FuzzSplitText checks that splitting keeps every byte, in order, within
// the limit, on character boundaries.
func FuzzSplitText(f *testing.F) {
	f.Add("héllo ✓ wörld\r\nsecond line 😀", 5)
	f.Add(strings.Repeat("é", 100), 4)
	f.Add("\r\n\r\n\r\n", 4)
	f.Fuzz(func(t *testing.T, s string, max int) {
		if !utf8.ValidString(s) || max < utf8.UTFMax || max > 1<<16 {
			return
		}
		parts := splitText(s, max)
		if strings.Join(parts, "") != s {
			t.Fatal("parts do not join to the text")
		}
		for _, p := range parts {
			if len(p) > max || !utf8.ValidString(p) || (p == "" && s != "") {
				t.Fatalf("bad part %q of %q (max %d)", p, s, max)
			}
		}
	})
}

// maxHeaders is the bound on a message's headers that proto.ParseMessage
// enforces.
const maxHeaders = 64
