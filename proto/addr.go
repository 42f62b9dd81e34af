package proto

import (
	"fmt"
	"net"
	"net/netip"
	"strings"

	"msn/proto/internal/engine"
)

// DefaultPort is the port of a server address given without one.
const DefaultPort = "1863"

// NormalizeAddr checks a host:port the user configured and adds the
// default port when none is given.
func NormalizeAddr(addr string) (string, error) {
	if addr == "" {
		return "", fmt.Errorf("%w: empty address", ErrBadAddress)
	}
	if !strings.Contains(addr, ":") || (strings.Count(addr, ":") > 1 && !strings.HasPrefix(addr, "[")) {
		addr = net.JoinHostPort(addr, DefaultPort)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" || !validPort(port) {
		return "", fmt.Errorf("%w: %q", ErrBadAddress, engine.EscapeForError(addr))
	}
	return net.JoinHostPort(host, port), nil
}

// ReferralPolicy decides which addresses a server may send the client
// to (XFR NS, XFR SB, RNG), and which addresses a file sender may give.
type ReferralPolicy struct {
	// AllowPrivate allows loopback, private and link-local addresses.
	AllowPrivate bool
}

// newReferralPolicy allows private addresses when the user allows them or
// when the configured server is itself private: a local server refers to
// local addresses.
func newReferralPolicy(configured string, allow bool) ReferralPolicy {
	if allow {
		return ReferralPolicy{AllowPrivate: true}
	}
	host, _, err := net.SplitHostPort(configured)
	if err != nil {
		return ReferralPolicy{}
	}
	if host == "localhost" {
		return ReferralPolicy{AllowPrivate: true}
	}
	ip, err := netip.ParseAddr(host)
	return ReferralPolicy{AllowPrivate: err == nil && isPrivate(ip)}
}

// Check validates an address from the server: strict host:port (a
// missing port means 1863), a port in 1–65535, and no loopback, private,
// link-local or unspecified address unless allowed.
func (p ReferralPolicy) Check(addr string) (string, error) {
	if !strings.Contains(addr, ":") {
		addr += ":" + DefaultPort
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" || !validPort(port) {
		return "", fmt.Errorf("%w: %q", ErrBadAddress, engine.EscapeForError(addr))
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if ip.IsUnspecified() || ip.IsMulticast() {
			return "", fmt.Errorf("%w: %s is not a public address", ErrBadAddress, host)
		}
		if !p.AllowPrivate && isPrivate(ip) {
			return "", &PrivateAddressError{Host: host}
		}
	} else if !validHostname(host) {
		return "", fmt.Errorf("%w: %q", ErrBadAddress, engine.EscapeForError(host))
	}
	return net.JoinHostPort(host, port), nil
}

func isPrivate(ip netip.Addr) bool {
	return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast()
}

func validPort(p string) bool { return engine.ValidPort(p) }

func validHostname(h string) bool {
	if len(h) > 253 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
