package server

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

const (
	maxHandle  = 129 // bytes in an e-mail address
	maxNameEnc = 387 // bytes in an encoded friendly name
	maxGroup   = 61  // bytes in an encoded group name
)

// randHex returns n random bytes as lower-case hex.
func randHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}

// randDigits returns n random decimal digits.
func randDigits(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return string(b)
}

// newSessionID returns a random version 4 UUID.
func newSessionID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// encodeName percent-encodes spaces, '%', control and non-ASCII bytes.
func encodeName(s string) string {
	if !strings.ContainsFunc(s, nameEscaped) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '%' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// nameEscaped reports whether encodeName escapes r (any rune beyond
// ASCII is escaped byte by byte).
func nameEscaped(r rune) bool { return r <= ' ' || r >= 0x7f || r == '%' }

// decodeName percent-decodes a name from the wire and checks it.
func decodeName(s string) (string, bool) {
	if len(s) > maxNameEnc {
		return "", false
	}
	d, err := url.PathUnescape(s)
	if err != nil || !validName(d) {
		return "", false
	}
	return d, true
}

// validName reports whether a decoded friendly or group name is acceptable.
func validName(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < ' ' || r == 0x7f {
			return false
		}
	}
	return len(encodeName(s)) <= maxNameEnc
}

// validHandle reports whether h looks like an e-mail address.
func validHandle(h string) bool {
	if len(h) < 3 || len(h) > maxHandle {
		return false
	}
	local, domain, ok := strings.Cut(h, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if c <= ' ' || c >= 0x7f || c == '%' || c == ',' {
			return false
		}
	}
	return true
}

// validTrID reports whether t is a decimal 32-bit transaction id.
func validTrID(t string) bool {
	_, err := strconv.ParseUint(t, 10, 32)
	return err == nil
}

// advertise returns the address to give to a client connected on local for
// the service listening on ln: the client-facing IP with ln's port.
func advertise(local net.Addr, ln net.Listener) string {
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	host := "127.0.0.1"
	if ta, ok := local.(*net.TCPAddr); ok && !ta.IP.IsUnspecified() {
		host = ta.IP.String()
	}
	return net.JoinHostPort(host, port)
}
