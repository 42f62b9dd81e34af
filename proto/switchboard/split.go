package switchboard

import "unicode/utf8"

// splitText cuts s, valid UTF-8, into pieces of at most max bytes (max is
// at least utf8.UTFMax). A piece never ends inside a multi-byte character
// nor between the CR and the LF of a line break. Joined, the pieces are s.
func splitText(s string, max int) []string {
	var parts []string
	for len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		if cut > 1 && s[cut-1] == '\r' && s[cut] == '\n' {
			cut--
		}
		if cut == 0 {
			cut = max
		}
		parts = append(parts, s[:cut])
		s = s[cut:]
	}
	return append(parts, s)
}
