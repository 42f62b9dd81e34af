package proto

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxAccountBytes bounds a sign-in address.
const MaxAccountBytes = 129

// CheckAccount refuses what cannot be an account address: no "@" with
// something on each side, longer than MaxAccountBytes, not UTF-8, or
// holding a rune that HiddenRune reports. Such an address never reaches
// a server. The error shows the address escaped (every hidden rune as
// \uXXXX), never raw.
func CheckAccount(email string) error {
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" || domain == "" || len(email) > MaxAccountBytes {
		return fmt.Errorf("%w: \"%s\" is not an e-mail address", ErrInvalidArgument, escapeRunes(email))
	}
	if strings.ContainsFunc(email, HiddenRune) || !utf8.ValidString(email) {
		return fmt.Errorf("%w: \"%s\" is not an e-mail address: it holds an invisible or control character", ErrInvalidArgument, escapeRunes(email))
	}
	return nil
}

// HiddenRune reports a rune that may not appear in an address because it
// is invisible or changes how the text around it is shown: controls,
// spaces of every kind, format characters (the bidi embeddings,
// overrides and isolates U+202A–U+202E and U+2066–U+2069, the marks
// U+200E and U+200F, the zero-width space, joiners and word joiner
// U+200B–U+200D and U+2060, the byte-order mark U+FEFF), the other
// default-ignorable code points and variation selectors, line and
// paragraph separators, and invalid UTF-8.
func HiddenRune(r rune) bool {
	return r == utf8.RuneError || !unicode.IsGraphic(r) || unicode.IsSpace(r) ||
		unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector)
}

// escapeRunes writes every hidden rune, every byte of invalid UTF-8 and
// every backslash and double quote of s as a Go escape, keeping the
// rest; it shows at most 256 bytes of s.
func escapeRunes(s string) string {
	if len(s) > 256 {
		s = s[:256]
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\\' || r == '"':
			b.WriteByte('\\')
			b.WriteRune(r)
		case HiddenRune(r):
			q := fmt.Sprintf("%+q", r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
