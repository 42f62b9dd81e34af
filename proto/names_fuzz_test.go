package proto

import (
	"encoding/hex"
	"strings"
	"testing"
	"unicode/utf8"

	"msn/proto/internal/engine"
)

// FuzzNamesAndCodes checks the small parsers and encoders of the
// notification protocol: a friendly or group name encodes to one valid
// field and decodes back the same; decoding never grows a name; the
// status and list parsers accept only what they print back; the
// challenge answer is 32 lower-case hex digits.
func FuzzNamesAndCodes(f *testing.F) {
	for _, s := range []string{
		"Bob", "Other Contacts", "100% sure", "%%20x", "%ZZ%4", "a\r\nOUT", "é✓😀", "\xff\xfe",
		"away", "AWY", "NLN", "hidden", "FL", "allow", "fl,al", "", strings.Repeat("%41", 400),
		"29409134351025259292", "\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := encodeName(s)
		if s != "" && !engine.ValidArg(enc) {
			t.Fatalf("%q encodes to the invalid field %q", s, enc)
		}
		if got := decodeName(enc); got != s {
			t.Fatalf("%q encodes to %q, which decodes to %q", s, enc, got)
		}
		if d := decodeName(s); len(d) > len(s) {
			t.Fatalf("decoding %q grew it to %q", s, d)
		}
		if l := limitName(s); len(l) > MaxNameBytes || !strings.HasPrefix(s, l) ||
			(utf8.ValidString(s) && !utf8.ValidString(l)) {
			t.Fatalf("limitName(%q) = %q", s, l)
		}
		if st, ok := ParseStatus(s); ok {
			if !st.Valid() {
				t.Fatalf("ParseStatus(%q) = invalid %q", s, st)
			}
			if again, ok := ParseStatus(string(st)); !ok || again != st {
				t.Fatalf("status %q reads back as %q", st, again)
			}
			if again, ok := ParseStatus(st.String()); !ok || again != st {
				t.Fatalf("status %q printed %q reads back as %q", st, st.String(), again)
			}
		}
		if l, ok := ParseList(s); ok {
			if again, ok := ParseList(l.String()); !ok || again != l {
				t.Fatalf("list %v printed %q reads back as %v", l, l.String(), again)
			}
		}
		r := ChallengeResponse(s)
		if b, err := hex.DecodeString(r); err != nil || len(b) != 16 || r != strings.ToLower(r) {
			t.Fatalf("challenge answer %q", r)
		}
	})
}
