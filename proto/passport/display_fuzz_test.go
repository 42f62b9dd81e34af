package passport

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzEscapeDisplay checks the escaping of a Passport server's failure
// text: the result is valid UTF-8 without control or format characters,
// and keeps at most max characters of the text, each escape at most six
// bytes, plus an ellipsis.
func FuzzEscapeDisplay(f *testing.F) {
	for _, s := range []string{
		"Type your e-mail address and password correctly.", "a\r\nb", "\x1b]0;title\x07", "\u202eevil",
		"\xff\xfe\xfd", "\ufffd", strings.Repeat("é", 300), " \t ",
	} {
		f.Add(s, uint8(200))
	}
	f.Fuzz(func(t *testing.T, s string, max8 uint8) {
		max := int(max8)
		out := escapeDisplay(s, max)
		if !utf8.ValidString(out) {
			t.Fatalf("escapeDisplay(%q) = %q: invalid UTF-8", s, out)
		}
		for _, r := range out {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
				t.Fatalf("escapeDisplay(%q) = %q keeps %U", s, out, r)
			}
		}
		if limit := max*6 + 3; utf8.RuneCountInString(out) > limit {
			t.Fatalf("%d characters from a limit of %d", utf8.RuneCountInString(out), max)
		}
	})
}
