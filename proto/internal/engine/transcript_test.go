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
