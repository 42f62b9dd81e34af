package engine

import (
	"bytes"
	"strings"
	"testing"
)

func TestTranscriptRedactsSecrets(t *testing.T) {
	var b bytes.Buffer
	tr := NewTranscript(&b, "ns")
	tr.sent(&Command{Verb: "USR", HasTrID: true, TrID: 4, Args: []string{"TWN", "S", "t=secret-ticket&p=x"}})
	tr.sent(&Command{Verb: "USR", HasTrID: true, TrID: 5, Args: []string{"MD5", "S", "f5ccddc790a1d503b89acc8bfc28c3aa"}})
	tr.sent(&Command{Verb: "USR", HasTrID: true, TrID: 1, Args: []string{"bob@example.com", "sb-cookie-1"}})
	tr.sent(&Command{Verb: "ANS", HasTrID: true, TrID: 1, Args: []string{"bob@example.com", "sb-cookie-2", "11752013"}})
	for _, line := range []string{
		"XFR 10 SB 10.0.0.3:1863 CKI sb-cookie-3",
		"RNG 11752013 10.0.0.3:1863 CKI sb-cookie-4 alice@example.com Alice",
	} {
		lr := NewReader(strings.NewReader(line+"\r\n"), MSNP8)
		cmd, raw, err := lr.Read()
		if err != nil {
			t.Fatal(err)
		}
		tr.received(raw, cmd)
	}
	tr.received("MSG Hotmail Hotmail 40", &Command{Verb: "MSG", Payload: []byte("MSPAuth: secret-auth\r\nsid: 507\r\nkv: 9\r\n\r\n")})
	out := b.String()
	for _, secret := range []string{"secret-ticket", "f5ccddc7", "sb-cookie", "secret-auth", "507"} {
		if strings.Contains(out, secret) {
			t.Errorf("transcript shows %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "S: XFR 10 SB 10.0.0.3:1863 CKI [REDACTED]") || !strings.Contains(out, "alice@example.com Alice") {
		t.Errorf("transcript lost the non-secret parts:\n%s", out)
	}
}

func TestTranscriptEscapesForDisplay(t *testing.T) {
	var b bytes.Buffer
	tr := NewTranscript(&b, "ns")
	hostile := "Bob\u202e\u200b\u2066\ufeff\u2060\x1b[2J\x7f\u0085"
	escaped := `Bob\u202e\u200b\u2066\ufeff\u2060\x1b[2J\x7f\u0085`
	tr.sent(&Command{Verb: "REA", HasTrID: true, TrID: 3, Args: []string{"alice@example.com", hostile}})
	tr.received("NLN NLN bob@example.com "+hostile+" 0", &Command{Verb: "NLN"})
	tr.received("MSG Hotmail Hotmail 40", &Command{Verb: "MSG", Payload: []byte("X-Name: " + hostile + "\r\n\r\n")})
	tr.Note("referred to %s", hostile)
	out := b.String()
	for _, r := range out {
		if r != '\n' && (r < ' ' || r == 0x7f || r >= 0x80 && r < 0xa0 || r == 0x200b || r == 0x202e || r == 0x2066 || r == 0x2060 || r == 0xfeff) {
			t.Fatalf("transcript holds the raw character %U:\n%q", r, out)
		}
	}
	for _, want := range []string{
		"ns C: REA 3 alice@example.com " + escaped,
		"ns S: NLN NLN bob@example.com " + escaped + " 0",
		"ns    | X-Name: " + escaped,
		"ns -- referred to " + escaped,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q:\n%s", want, out)
		}
	}
}
