package switchboard

import (
	"context"
	"fmt"
	"net"
	"net/netip"

	"msn/proto"
	"msn/proto/internal/engine"
)

// maxFileSources bounds the addresses tried for one transfer: the public
// one and the internal one of dual-address senders.
const maxFileSources = 2

// FileSource is where an accepted file is fetched from: the addresses
// the sender listens on, in the order to try them, and the AuthCookie to
// present.
type FileSource struct {
	Addrs      []string
	AuthCookie string
}

// AcceptFile accepts the file offer inv (see Invitation.CheckFileOffer):
// it sends an ACCEPT asking for the sender's address, and waits for the
// sender's ACCEPT that carries it. The addresses (IP-Address and Port,
// then IP-Address-Internal and PortX when given) must be IP literals
// that the notification server's referral policy allows, with valid
// ports, and the AuthCookie a number; otherwise AcceptFile fails with
// ErrBadInvitation before anything is dialled, and the caller should
// cancel the invitation. A CANCEL from the sender is a *CancelError, a
// sender who leaves ErrPeerLeft.
func (sb *Switchboard) AcceptFile(ctx context.Context, inv *Invitation) (*FileSource, error) {
	if err := inv.CheckFileOffer(); err != nil {
		return nil, err
	}
	call := sb.expectInvite(inv.From, inv.Cookie)
	defer sb.forgetInvite(inv.From, inv.Cookie, call)
	m := inviteMessage(
		proto.Header{Name: "Invitation-Command", Value: AcceptCommand},
		proto.Header{Name: "Invitation-Cookie", Value: inv.Cookie},
		proto.Header{Name: "Launch-Application", Value: "FALSE"},
		proto.Header{Name: "Request-Data", Value: "IP-Address:"},
	)
	if err := sb.Send(ctx, m, AckNegative); err != nil {
		return nil, err
	}
	reply, err := call.Wait(ctx)
	if err != nil {
		return nil, err
	}
	answer, err := replyInvitation(reply)
	if err != nil {
		return nil, err
	}
	return sb.fileSource(answer)
}

// fileSource checks the address fields of the sender's ACCEPT.
func (sb *Switchboard) fileSource(inv *Invitation) (*FileSource, error) {
	cookie := inv.Field("AuthCookie")
	if !validCookie(cookie) {
		return nil, fmt.Errorf("%w: auth cookie missing or not a number", ErrBadInvitation)
	}
	src := &FileSource{AuthCookie: cookie}
	for _, f := range [maxFileSources][2]string{{"IP-Address", "Port"}, {"IP-Address-Internal", "PortX"}} {
		host, port := inv.Field(f[0]), inv.Field(f[1])
		if host == "" && port == "" && len(src.Addrs) > 0 {
			continue
		}
		addr, err := sb.checkFileAddr(host, port)
		if err != nil {
			if len(src.Addrs) > 0 {
				continue // a bad second address is dropped, the first stands
			}
			return nil, err
		}
		if len(src.Addrs) == 0 || src.Addrs[0] != addr {
			src.Addrs = append(src.Addrs, addr)
		}
	}
	return src, nil
}

// checkFileAddr validates one address a sender gives: an IP literal (no
// name to resolve), neither unspecified nor multicast, private only where
// the referral policy allows it, and a port in 1–65535.
func (sb *Switchboard) checkFileAddr(host, port string) (string, error) {
	ip, err := netip.ParseAddr(host)
	if err != nil || ip.Zone() != "" || !engine.ValidPort(port) {
		return "", fmt.Errorf("%w: file transfer address %q port %q", ErrBadInvitation, engine.EscapeForError(host), engine.EscapeForError(port))
	}
	addr := net.JoinHostPort(ip.Unmap().String(), port)
	if _, err := sb.policy.Check(addr); err != nil {
		return "", fmt.Errorf("%w: %w", ErrBadInvitation, err)
	}
	return addr, nil
}

// CancelInvitation answers or ends the invitation inv with a CANCEL
// carrying code: CancelReject to decline a file, CancelNotInstalled for
// an application this package does not run, CancelFTTimeout when the
// transfer failed. An invitation whose cookie is malformed is not
// answered (ErrBadInvitation): a reply could not name it.
func (sb *Switchboard) CancelInvitation(ctx context.Context, inv *Invitation, code CancelCode) error {
	if !validCookie(inv.Cookie) {
		return fmt.Errorf("%w: invitation cookie %q", ErrBadInvitation, engine.EscapeForError(inv.Cookie))
	}
	return sb.cancelInvitation(ctx, inv.Cookie, code)
}
