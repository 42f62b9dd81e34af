package switchboard

import (
	"net"
	"net/netip"
	"strings"
	"testing"

	"msn/proto"
)

// FuzzInvitation feeds arbitrary invitation bodies to the parser, the
// offer checks and the address checks: no panic, bounded fields, a file
// offer that passes its check has a valid cookie and a size, and every
// address a sender gives that is taken is an IP literal the policy
// allows, at most two of them.
func FuzzInvitation(f *testing.F) {
	for _, seed := range []string{
		"Application-Name: File Transfer\r\nApplication-GUID: {5D3E02AB-6190-11d3-BBBB-00C04F795683}\r\nInvitation-Command: INVITE\r\nInvitation-Cookie: 31337\r\nApplication-File: hello.txt\r\nApplication-FileSize: 2900\r\nConnectivity: N\r\n\r\n",
		"Invitation-Command: ACCEPT\r\nInvitation-Cookie: 31337\r\nIP-Address: 127.0.0.1\r\nPort: 58203\r\nAuthCookie: 99887766\r\nLaunch-Application: FALSE\r\nRequest-Data: IP-Address:\r\n\r\n",
		"Invitation-Command: ACCEPT\r\nInvitation-Cookie: 1\r\nIP-Address: 192.0.2.1\r\nPort: 1\r\nAuthCookie: 1\r\nIP-Address-Internal: 10.0.0.1\r\nPortX: 65535\r\n",
		"Invitation-Command: CANCEL\r\nInvitation-Cookie: 4242\r\nCancel-Code: REJECT\r\n\r\n",
		"Invitation-Cookie: 54902160%20%20%20\r\nApplication-FileSize: -1\r\n",
		"Application-File: ../../.bashrc\r\nApplication-FileSize: 99999999999999999999\r\n",
		"IP-Address: fe80::1%eth0\r\nPort: 6891\r\nAuthCookie: " + strings.Repeat("9", 100) + "\r\n",
		"Application-GUID: {56b994a7-380f-410b-9985-c809d78c1bdc}\r\nLaunch-Application: TRUE\r\nSession-Protocol: SM1\r\n",
		"\r\n\r\n: \r\n:::\r\nA",
	} {
		f.Add([]byte(seed))
	}
	policies := []proto.ReferralPolicy{{}, {AllowPrivate: true}}
	f.Fuzz(func(t *testing.T, body []byte) {
		inv := parseInvitation(body)
		if len(inv.Fields) > maxInviteFields || inv.Size < -1 {
			t.Fatalf("invitation %+v", inv)
		}
		if inv.IsFileOffer() && inv.CheckFileOffer() == nil {
			if !validCookie(inv.Cookie) || inv.Size < 0 {
				t.Fatalf("accepted offer with cookie %q size %d", inv.Cookie, inv.Size)
			}
		}
		for _, p := range policies {
			src, err := (&Switchboard{policy: p}).fileSource(inv)
			if err != nil {
				continue
			}
			if len(src.Addrs) == 0 || len(src.Addrs) > maxFileSources || !validCookie(src.AuthCookie) {
				t.Fatalf("source %+v", src)
			}
			for _, a := range src.Addrs {
				host, _, err := net.SplitHostPort(a)
				ip, perr := netip.ParseAddr(host)
				if err != nil || perr != nil || ip.IsUnspecified() || (!p.AllowPrivate && isPrivate(ip)) {
					t.Fatalf("address %q taken under %+v", a, p)
				}
			}
		}
	})
}

// isPrivate reports whether ip is an address that only
// ReferralPolicy.AllowPrivate lets through.
func isPrivate(ip netip.Addr) bool {
	return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast()
}
