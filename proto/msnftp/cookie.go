package msnftp

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"strconv"
)

// NewCookie returns a fresh AuthCookie: a non-zero uint32 from
// crypto/rand, in decimal.
func NewCookie() (string, error) {
	var b [4]byte
	for {
		if _, err := rand.Read(b[:]); err != nil {
			return "", fmt.Errorf("msnftp: new cookie: %w", err)
		}
		if v := binary.BigEndian.Uint32(b[:]); v != 0 {
			return strconv.FormatUint(uint64(v), 10), nil
		}
	}
}

// cookieMatches compares a received cookie with the expected one in
// constant time (the length may leak, the digits do not).
func cookieMatches(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
