package passport

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"msn/proto/secret"
)

// maxReason bounds the server's failure text kept in an error, in runes.
const maxReason = 200

// authFailed returns ErrAuthFailed, with the decoded cbtxt of the
// WWW-Authenticate value v when there is one. The text is bounded, its
// control, format and invalid characters are escaped, and the password is
// cut out should the server echo it.
func authFailed(v string, password secret.String) error {
	redact := func(s string) string { return s }
	if p := password.Reveal(); p != "" {
		var enc strings.Builder
		writeEncoded(&enc, p)
		redact = func(s string) string {
			return strings.ReplaceAll(strings.ReplaceAll(s, p, "[REDACTED]"), enc.String(), "[REDACTED]")
		}
	}
	// The whole value first: an echoed password with a comma in it
	// would otherwise be cut in two fields and escape the redaction.
	cb := authParam(redact(v), "cbtxt")
	if cb == "" {
		return ErrAuthFailed
	}
	if d, err := url.PathUnescape(cb); err == nil {
		cb = d
	}
	cb = escapeDisplay(redact(cb), maxReason)
	if cb == "" {
		return ErrAuthFailed
	}
	return fmt.Errorf("%w: %s", ErrAuthFailed, cb)
}

// escapeDisplay returns s with control, format (bidi, zero-width) and
// invalid UTF-8 characters escaped, cut to at most max runes.
func escapeDisplay(s string, max int) string {
	var b strings.Builder
	n := 0
	for i, r := range s {
		if n >= max {
			b.WriteString("...")
			break
		}
		n++
		switch {
		case r == utf8.RuneError && len(s[i:]) > 0 && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == ' ' || unicode.IsPrint(r):
			b.WriteRune(r)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return strings.TrimSpace(b.String())
}
