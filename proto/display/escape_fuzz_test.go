package display

import (
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzEscape checks the escaping of peer and server text for the
// terminal: nothing that moves the cursor, reorders text or hides
// characters gets through; escaping twice changes nothing more; and for
// text without quotes or backslashes the escapes read back as the text.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{
		"hello", "a\r\nOUT", "\x1b[31mred\x1b[0m", "evil\u202Etxt.exe", "zero\u200bwidth", "\u2028\u2029",
		"\xff\xfe", "\x00\x7f\u0085", "tab\there", `"quoted" \back`, "é✓😀", "\ufeffbom", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Escape(s)
		for _, r := range out {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r) {
				t.Fatalf("Escape(%q) = %q keeps %U", s, out, r)
			}
		}
		if again := Escape(out); again != out {
			t.Fatalf("escaping %q again gives %q", out, again)
		}
		if utf8.ValidString(s) && !strings.ContainsAny(s, `"\`) {
			if back, err := strconv.Unquote(`"` + out + `"`); err != nil || back != s {
				t.Fatalf("%q escaped to %q reads back as %q, %v", s, out, back, err)
			}
		}
	})
}
