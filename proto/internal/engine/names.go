package engine

import (
	"net/url"
	"strconv"
)

// DecodeName percent-decodes a friendly name; an undecodable name is
// returned as sent.
func DecodeName(s string) string {
	if d, err := url.PathUnescape(s); err == nil {
		return d
	}
	return s
}

// ValidPort reports whether p is a decimal port number in 1–65535.
func ValidPort(p string) bool {
	if !IsDigits(p) || len(p) > 5 {
		return false
	}
	n, _ := strconv.Atoi(p)
	return n >= 1 && n <= 65535
}
