package switchboard

import (
	"strings"

	"msn/proto"
	"msn/proto/internal/engine"
)

// maxOffered bounds the INVITEs a switchboard remembers to drop repeats.
const maxOffered = 64

// inviteRef names an invitation waiting for a reply: the peer whose reply
// counts and the cookie.
type inviteRef struct {
	peer, cookie string
}

// expectInvite registers the waiter for peer's next reply to the
// invitation with cookie, before the message that asks for it is sent,
// so that the reply cannot slip past.
func (sb *Switchboard) expectInvite(peer, cookie string) *engine.Call {
	key := inviteKey(peer, cookie)
	sb.mu.Lock()
	sb.invites[key] = inviteRef{peer: peer, cookie: cookie}
	sb.mu.Unlock()
	return sb.c.Expect(key)
}

// forgetInvite stops waiting for replies to an invitation.
func (sb *Switchboard) forgetInvite(peer, cookie string, call *engine.Call) {
	sb.mu.Lock()
	delete(sb.invites, inviteKey(peer, cookie))
	sb.mu.Unlock()
	if call != nil {
		sb.c.Forget(call)
	}
}

// invitation routes an invitation message from the reader: a reply
// (ACCEPT or CANCEL) that a waiter expects from its sender goes to that
// waiter and is no event; a repeated INVITE (same sender and cookie) is
// dropped; anything else is delivered as an event.
func (sb *Switchboard) invitation(inv *Invitation, cmd *proto.Command) Event {
	switch inv.Command {
	case AcceptCommand, CancelCommand:
		if sb.c.Wake(inviteKey(inv.From, inv.Cookie), cmd, nil) {
			return nil
		}
	case InviteCommand:
		key := inviteKey(inv.From, inv.Cookie)
		sb.mu.Lock()
		defer sb.mu.Unlock()
		for _, k := range sb.offered {
			if k == key {
				return nil
			}
		}
		if len(sb.offered) == maxOffered {
			sb.offered = sb.offered[1:]
		}
		sb.offered = append(sb.offered, key)
	}
	return inv
}

// peerLeft fails the invitations waiting for a reply from a participant
// who left.
func (sb *Switchboard) peerLeft(email string) {
	sb.failInvites(func(r inviteRef) bool { return strings.EqualFold(r.peer, email) }, ErrPeerLeft)
}

// inviteUndelivered fails the invitation whose message the switchboard
// could not deliver (a NAK of an AckNegative send).
func (sb *Switchboard) inviteUndelivered(m *proto.Message) {
	if m.ContentType() != "text/x-msmsgsinvite" {
		return
	}
	cookie := parseInvitation(m.Body).Cookie
	sb.failInvites(func(r inviteRef) bool { return r.cookie == cookie }, ErrNotDelivered)
}

// failInvites completes with err the waiters of the invitations that
// match.
func (sb *Switchboard) failInvites(match func(inviteRef) bool, err error) {
	var keys []string
	sb.mu.Lock()
	for k, r := range sb.invites {
		if match(r) {
			keys = append(keys, k)
		}
	}
	sb.mu.Unlock()
	for _, k := range keys {
		sb.c.Wake(k, nil, err)
	}
}
