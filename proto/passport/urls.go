package passport

import (
	"fmt"
	"strings"
)

// maxPassportURLs bounds the PassportURLs header value.
const maxPassportURLs = 8 << 10

// ParsePassportURLs parses the nexus PassportURLs header value
// ("DARealm=Passport.Net,DALogin=login.passport.com/login2.srf,...") into
// its key=value pairs. Empty fields are skipped; a field without '=', an
// empty key, a key given twice (ignoring case), control characters or an
// oversized value give ErrMalformed.
func ParsePassportURLs(v string) (map[string]string, error) {
	if len(v) > maxPassportURLs {
		return nil, fmt.Errorf("%w: PassportURLs too long", ErrMalformed)
	}
	if hasControl(v) {
		return nil, fmt.Errorf("%w: PassportURLs has control characters", ErrMalformed)
	}
	m := make(map[string]string)
	seen := make(map[string]bool)
	for field := range strings.SplitSeq(v, ",") {
		field = strings.TrimSpace(field)
		if field == "" {
			continue
		}
		k, val, ok := strings.Cut(field, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("%w: PassportURLs is not a key=value list", ErrMalformed)
		}
		lk := strings.ToLower(k)
		if seen[lk] {
			return nil, fmt.Errorf("%w: PassportURLs repeats a key", ErrMalformed)
		}
		seen[lk] = true
		m[k] = strings.TrimSpace(val)
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("%w: empty PassportURLs", ErrMalformed)
	}
	return m, nil
}

// daLogin returns the DALogin value of m, matching the key without regard to case.
func daLogin(m map[string]string) (string, bool) {
	for k, v := range m {
		if asciiEqualFold(k, "DALogin") {
			return v, true
		}
	}
	return "", false
}
