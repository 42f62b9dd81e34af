package passport

import (
	"fmt"
	"strings"

	"msn/proto/secret"
)

// maxCredential bounds the e-mail address and the password.
const maxCredential = 1024

// orgPrefix starts every Passport 1.4 Authorization header.
const orgPrefix = "Passport1.4 OrgVerb=GET,OrgURL=http%3A%2F%2Fmessenger%2Emsn%2Ecom,sign-in="

// AuthorizationHeader builds the Passport 1.4 Authorization header value
// for the login request. The e-mail address and the password are
// percent-encoded (every byte outside A-Z a-z 0-9 - _ . ~, uppercase hex);
// the challenge is validated with ValidChallenge and appended verbatim.
// An unusable address or password is ErrBadCredentials. Errors never
// contain the password.
func AuthorizationHeader(email string, password secret.String, challenge string) (string, error) {
	if err := ValidChallenge(challenge); err != nil {
		return "", err
	}
	switch {
	case email == "":
		return "", fmt.Errorf("%w: empty e-mail address", ErrBadCredentials)
	case len(email) > maxCredential:
		return "", fmt.Errorf("%w: e-mail address longer than %d bytes", ErrBadCredentials, maxCredential)
	case hasControl(email):
		return "", fmt.Errorf("%w: e-mail address contains control characters", ErrBadCredentials)
	}
	pwd := password.Reveal()
	switch {
	case pwd == "":
		return "", fmt.Errorf("%w: empty password", ErrBadCredentials)
	case len(pwd) > maxCredential:
		return "", fmt.Errorf("%w: password longer than %d bytes", ErrBadCredentials, maxCredential)
	case strings.ContainsAny(pwd, "\r\n\x00"):
		return "", fmt.Errorf("%w: password contains a line break or NUL byte", ErrBadCredentials)
	}
	var b strings.Builder
	b.Grow(len(orgPrefix) + 3*len(email) + 3*len(pwd) + len(challenge) + 8)
	b.WriteString(orgPrefix)
	writeEncoded(&b, email)
	b.WriteString(",pwd=")
	writeEncoded(&b, pwd)
	b.WriteByte(',')
	b.WriteString(challenge)
	return b.String(), nil
}

// writeEncoded percent-encodes every byte of s outside the unreserved set.
func writeEncoded(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
}

// unreserved reports whether c is in A-Z a-z 0-9 - _ . ~.
func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// hasControl reports whether s holds a C0 control byte or DEL.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}
