// Package display makes text that a peer or a server controls safe to
// print: every character that could move the cursor, fake a line or
// reorder what follows is written as a visible escape.
package display

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape returns s with every rune that NeedsEscape reports written as a
// Go escape (\n, \x1b, \u202e), so that the text stays on one line and
// shows what was received. A byte of invalid UTF-8 shows as \xff.
func Escape(s string) string {
	if printableASCII(s) || utf8.ValidString(s) && !strings.ContainsFunc(s, NeedsEscape) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case NeedsEscape(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// NeedsEscape reports the runes Escape escapes: C0 and C1 controls (ESC
// among them), DEL, format characters (the bidi embeddings, overrides
// and isolates U+202A–U+202E and U+2066–U+2069, the marks U+200E and
// U+200F, the zero-width space and joiners U+200B–U+200D, the word
// joiner U+2060, the byte-order mark U+FEFF) and the line and paragraph
// separators U+2028 and U+2029.
func NeedsEscape(r rune) bool {
	if r < utf8.RuneSelf {
		return r < ' ' || r == 0x7f
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) ||
		unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r)
}

// printableASCII reports whether s is printable ASCII only, which Escape
// leaves as it is: the common case, decided without looking up runes.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}
