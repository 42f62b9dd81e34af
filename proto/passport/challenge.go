package passport

import (
	"fmt"
	"strings"
)

// MaxChallenge bounds the challenge string accepted from the notification server.
const MaxChallenge = 2048

// ValidChallenge checks the challenge ("lc=1033,id=507,...") before it is
// appended to the Authorization header: at most MaxChallenge bytes of
// printable ASCII without spaces, a comma-separated list of key=value
// pairs, and none of the keys the client sets itself (sign-in, pwd,
// OrgVerb, OrgURL). The challenge is not echoed in the error.
func ValidChallenge(ch string) error {
	if ch == "" {
		return fmt.Errorf("%w: empty", ErrBadChallenge)
	}
	if len(ch) > MaxChallenge {
		return fmt.Errorf("%w: longer than %d bytes", ErrBadChallenge, MaxChallenge)
	}
	for i := 0; i < len(ch); i++ {
		if c := ch[i]; c <= ' ' || c >= 0x7f {
			return fmt.Errorf("%w: byte 0x%02x at offset %d", ErrBadChallenge, c, i)
		}
	}
	for _, field := range strings.Split(ch, ",") {
		key, _, ok := strings.Cut(field, "=")
		if !ok || key == "" {
			return fmt.Errorf("%w: not a key=value list", ErrBadChallenge)
		}
		if !validKey(key) {
			return fmt.Errorf("%w: bad key", ErrBadChallenge)
		}
		switch strings.ToLower(key) {
		case "sign-in", "pwd", "orgverb", "orgurl":
			return fmt.Errorf("%w: sets the reserved key %s", ErrBadChallenge, strings.ToLower(key))
		}
	}
	return nil
}

// validKey reports whether k is made of letters, digits, '-', '_' and '.'.
func validKey(k string) bool {
	for i := 0; i < len(k); i++ {
		if c := k[i]; !unreserved(c) || c == '~' {
			return false
		}
	}
	return true
}
