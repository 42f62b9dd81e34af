package passport

import (
	"fmt"
	"strings"
)

// maxAuthHeader bounds the Authentication-Info and WWW-Authenticate values.
const maxAuthHeader = 16 << 10

// ParseAuthInfo parses an Authentication-Info or WWW-Authenticate value
// such as "Passport1.4 da-status=success,from-PP='t=...&p=...'". It returns
// the lower-cased da-status (also spelled dastatus, any case) and the text
// between the quotes after from-PP= (found by scanning, not by splitting on
// commas). A header without from-PP gives an empty ticket and no error; an
// unterminated or empty from-PP gives ErrMalformed, and a ticket that fails
// ValidTicket gives ErrBadTicket. The ticket is never part of an error.
func ParseAuthInfo(v string) (status string, ticket string, err error) {
	if len(v) > maxAuthHeader {
		return "", "", fmt.Errorf("%w: authentication header too long", ErrMalformed)
	}
	rest := v
	if i := indexFold(v, "from-PP="); i >= 0 {
		after := v[i+len("from-PP="):]
		if !strings.HasPrefix(after, "'") {
			return "", "", fmt.Errorf("%w: from-PP is not quoted", ErrMalformed)
		}
		end := strings.IndexByte(after[1:], '\'')
		if end < 0 {
			return "", "", fmt.Errorf("%w: from-PP is not terminated", ErrMalformed)
		}
		ticket = after[1 : 1+end]
		rest = v[:i] + after[2+end:]
		if ticket == "" {
			return "", "", fmt.Errorf("%w: empty from-PP", ErrMalformed)
		}
		if !ValidTicket(ticket) {
			return "", "", fmt.Errorf("%w: from-PP has characters or a length a ticket cannot have", ErrBadTicket)
		}
	}
	status = authParam(rest, "da-status", "dastatus")
	return strings.ToLower(status), ticket, nil
}

// authParam returns the value of the first comma-separated key=value pair
// in v whose key matches one of keys (ASCII case-insensitive). A leading
// "Passport1.4 " scheme is skipped.
func authParam(v string, keys ...string) string {
	if len(v) > len("Passport1.4 ") && asciiEqualFold(v[:len("Passport1.4 ")], "Passport1.4 ") {
		v = v[len("Passport1.4 "):]
	}
	for field := range strings.SplitSeq(v, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(field), "=")
		if !ok {
			continue
		}
		for _, want := range keys {
			if asciiEqualFold(strings.TrimSpace(k), want) {
				return strings.TrimSpace(val)
			}
		}
	}
	return ""
}

// indexFold returns the index of the first ASCII case-insensitive match of
// sub in s, or -1.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if asciiEqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// asciiEqualFold reports whether a and b are equal under ASCII case folding.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
