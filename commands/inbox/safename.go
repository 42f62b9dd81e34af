package inbox

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameBytes bounds the length in bytes of a name returned by [SafeName].
// It leaves room under the common 255-byte limit for the number that
// [File.Commit] adds on a collision and for the affixes of the temporary
// name.
const MaxNameBytes = 200

// maxExtBytes bounds the extension, dot included, that truncation keeps.
const maxExtBytes = 16

// fallbackName replaces a name that reduces to nothing.
const fallbackName = "file"

// SafeName reduces a peer-offered file name to a safe base name. It keeps
// only the last element after '/' and '\', drops a drive prefix ("C:"),
// replaces invalid UTF-8, control, format and separator characters and the
// characters Windows forbids by '_', trims white space and trailing dots,
// replaces a leading '.' by '_', prefixes Windows device names with '_',
// and cuts the result to [MaxNameBytes] on a UTF-8 boundary, keeping a short
// extension. Empty names and names of only dots become "file".
//
// The result is never empty, contains no separator, is not "." or "..",
// satisfies [path/filepath.IsLocal], and SafeName(SafeName(s)) == SafeName(s).
func SafeName(offered string) string {
	s := strings.ToValidUTF8(offered, "_")
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	s = dropDrive(s)
	s = strings.Map(mapRune, s)
	s = trim(s)
	if s == "" {
		return fallbackName
	}
	if s[0] == '.' {
		s = "_" + s[1:]
	}
	s = truncate(s, MaxNameBytes)
	if isReservedName(s) {
		s = truncate("_"+s, MaxNameBytes)
	}
	return s
}

// dropDrive removes a leading drive letter and colon, as in "C:x.dll".
func dropDrive(s string) string {
	if len(s) >= 2 && s[1] == ':' && isASCIILetter(s[0]) {
		return s[2:]
	}
	return s
}

func isASCIILetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// mapRune replaces a rune that is unsafe in a file name by '_'.
func mapRune(r rune) rune {
	switch {
	case strings.ContainsRune(`<>:"|?*/\`, r):
		return '_'
	case r == '\uFF0F' || r == '\uFF3C': // fullwidth solidus, reverse solidus
		return '_'
	case unsafeRune(r):
		return '_'
	}
	return r
}

// unsafeRune reports whether r is not a graphic character: a control (C0,
// DEL, C1), a format character (bidi controls, zero-width characters, BOM), a
// line or paragraph separator, a private-use, surrogate or unassigned code
// point. Spaces (Zs) are graphic and kept.
func unsafeRune(r rune) bool {
	return !unicode.IsGraphic(r)
}

// trim removes leading white space and trailing white space and dots, which
// Windows drops from names.
func trim(s string) string {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	return strings.TrimRightFunc(s, func(r rune) bool {
		return r == '.' || unicode.IsSpace(r)
	})
}

// truncate cuts s to at most max bytes on a UTF-8 boundary, keeping an
// extension of up to maxExtBytes when s has one, and trims what the cut
// leaves at the end. s must start with a character that trim keeps.
func truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	stem, ext := splitExt(s)
	return trim(cutUTF8(stem, max-len(ext))) + ext
}

// cutUTF8 returns the longest prefix of s of at most n bytes that ends on a
// rune boundary.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
