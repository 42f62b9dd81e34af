package engine

import "strconv"

// DecodeName percent-decodes a friendly name one escape at a time: each
// valid %XX becomes its byte, and a % that does not start one stays as
// it is. A revival server that re-encodes only the spaces of a name
// sends a literal % as "%%20…" (transcripts/08 q8), which decodes to
// "% …" instead of being shown raw.
func DecodeName(s string) string {
	i := 0
	for i < len(s) && s[i] != '%' {
		i++
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for ; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) {
			if hi, ok := unhex(s[i+1]); ok {
				if lo, ok := unhex(s[i+2]); ok {
					b = append(b, hi<<4|lo)
					i += 2
					continue
				}
			}
		}
		b = append(b, c)
	}
	return string(b)
}

// unhex returns the value of the hexadecimal digit c.
func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// ValidPort reports whether p is a decimal port number in 1–65535.
func ValidPort(p string) bool {
	if !IsDigits(p) || len(p) > 5 {
		return false
	}
	n, _ := strconv.Atoi(p)
	return n >= 1 && n <= 65535
}
