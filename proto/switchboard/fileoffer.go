package switchboard

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"net/netip"
	"strconv"
	"sync"

	"msn/proto"
	"msn/proto/internal/engine"
)

// Offer is a file offered to one participant of a conversation (an
// INVITE), from the offer until the transfer is settled. Its methods are
// safe for concurrent use.
type Offer struct {
	sb *Switchboard
	// To is the participant the file is offered to; only their replies
	// count.
	To string
	// Cookie is the Invitation-Cookie, which every reply echoes.
	Cookie string
	// Name and Size are the file name and size as announced.
	Name string
	Size int64

	mu    sync.Mutex
	reply *engine.Call // the waiter for To's next reply
}

// OfferFile offers a file to the participant to: it sends an INVITE for
// the file transfer application (ack mode N) with a fresh random cookie,
// announcing name (control characters replaced, so it stays one field)
// and size. Offer.Wait reports the answer; Offer.Close stops waiting for
// one.
func (sb *Switchboard) OfferFile(ctx context.Context, to, name string, size int64) (*Offer, error) {
	switch {
	case size < 0:
		return nil, fmt.Errorf("%w: negative file size", proto.ErrInvalidArgument)
	case name == "":
		return nil, fmt.Errorf("%w: empty file name", proto.ErrInvalidArgument)
	case !sb.isParticipant(to):
		return nil, fmt.Errorf("%w: %s", ErrPeerLeft, engine.EscapeForError(to))
	}
	cookie := sb.newInviteCookie()
	o := &Offer{sb: sb, To: to, Cookie: cookie, Name: announcedName(name), Size: size}
	o.reply = sb.expectInvite(to, cookie)
	m := inviteMessage(
		proto.Header{Name: "Application-Name", Value: fileTransferName},
		proto.Header{Name: "Application-GUID", Value: FileTransferGUID},
		proto.Header{Name: "Invitation-Command", Value: InviteCommand},
		proto.Header{Name: "Invitation-Cookie", Value: cookie},
		proto.Header{Name: "Application-File", Value: o.Name},
		proto.Header{Name: "Application-FileSize", Value: strconv.FormatInt(size, 10)},
	)
	if err := sb.Send(ctx, m, AckNegative); err != nil {
		o.Close()
		return nil, err
	}
	return o, nil
}

// newInviteCookie returns a random cookie of 1 to 10 digits that no
// invitation of this conversation is waiting with.
func (sb *Switchboard) newInviteCookie() string {
	for {
		var b [4]byte
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
		n := binary.BigEndian.Uint32(b[:])
		if n == 0 {
			continue
		}
		c := strconv.FormatUint(uint64(n), 10)
		busy := false
		sb.mu.Lock()
		for _, r := range sb.invites {
			busy = busy || r.cookie == c
		}
		sb.mu.Unlock()
		if !busy {
			return c
		}
	}
}

// Wait waits for the invitee's next reply and returns it: their ACCEPT,
// or an error: a *CancelError for a CANCEL (matching ErrDeclined when
// they declined), ErrPeerLeft when they left the conversation,
// ErrNotDelivered when the switchboard could not deliver the offer, the
// connection's error, or ctx's. After SendAddress, Wait reports a CANCEL
// the receiver sends when it cannot connect.
func (o *Offer) Wait(ctx context.Context) (*Invitation, error) {
	o.mu.Lock()
	call := o.reply
	o.mu.Unlock()
	if call == nil {
		return nil, fmt.Errorf("%w: the offer is closed", ErrCancelled)
	}
	reply, err := call.Wait(ctx)
	if err != nil {
		return nil, err
	}
	return replyInvitation(reply)
}

// replyInvitation reads the invitation a waiter was woken with: an
// ACCEPT is returned, a CANCEL becomes a *CancelError.
func replyInvitation(reply *proto.Command) (*Invitation, error) {
	inv, ok := messageEvent(reply).(*Invitation)
	if !ok {
		return nil, engine.ProtocolErrorf("invitation reply is not an invitation")
	}
	if inv.Command == CancelCommand {
		return nil, &CancelError{From: inv.From, Code: CancelCode(inv.Field("Cancel-Code"))}
	}
	return inv, nil
}

// SendAddress answers the invitee's ACCEPT with where to fetch the file:
// an ACCEPT carrying the address and port the sender listens on and the
// AuthCookie the receiver must present. Wait then reports a CANCEL the
// receiver may still send.
func (o *Offer) SendAddress(ctx context.Context, ip netip.Addr, port uint16, authCookie string) error {
	if !ip.IsValid() || ip.IsUnspecified() || port == 0 || !validCookie(authCookie) {
		return fmt.Errorf("%w: file transfer address", proto.ErrInvalidArgument)
	}
	o.mu.Lock()
	if o.reply == nil {
		o.mu.Unlock()
		return fmt.Errorf("%w: the offer is closed", ErrCancelled)
	}
	o.reply = o.sb.expectInvite(o.To, o.Cookie)
	o.mu.Unlock()
	m := inviteMessage(
		proto.Header{Name: "Invitation-Command", Value: AcceptCommand},
		proto.Header{Name: "Invitation-Cookie", Value: o.Cookie},
		proto.Header{Name: "IP-Address", Value: ip.Unmap().String()},
		proto.Header{Name: "Port", Value: strconv.Itoa(int(port))},
		proto.Header{Name: "AuthCookie", Value: authCookie},
		proto.Header{Name: "Launch-Application", Value: "FALSE"},
		proto.Header{Name: "Request-Data", Value: "IP-Address:"},
	)
	return o.sb.Send(ctx, m, AckNegative)
}

// Cancel withdraws the offer, or stops its transfer, with a CANCEL
// carrying code, and closes the offer.
func (o *Offer) Cancel(ctx context.Context, code CancelCode) error {
	o.Close()
	return o.sb.cancelInvitation(ctx, o.Cookie, code)
}

// Close stops waiting for replies to the offer; a Wait in progress
// returns an error. It sends nothing.
func (o *Offer) Close() {
	o.mu.Lock()
	call := o.reply
	o.reply = nil
	o.mu.Unlock()
	o.sb.forgetInvite(o.To, o.Cookie, call)
}

// cancelInvitation sends a CANCEL for the invitation with cookie.
func (sb *Switchboard) cancelInvitation(ctx context.Context, cookie string, code CancelCode) error {
	if !validCookie(cookie) || !engine.ValidArg(string(code)) {
		return fmt.Errorf("%w: cancel of invitation %q", proto.ErrInvalidArgument, engine.EscapeForError(cookie))
	}
	m := inviteMessage(
		proto.Header{Name: "Invitation-Command", Value: CancelCommand},
		proto.Header{Name: "Invitation-Cookie", Value: cookie},
		proto.Header{Name: "Cancel-Code", Value: string(code)},
	)
	return sb.Send(ctx, m, AckNegative)
}
