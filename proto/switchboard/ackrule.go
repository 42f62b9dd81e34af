package switchboard

import (
	"sync/atomic"

	"msn/proto"
	"msn/proto/internal/engine"
)

// recipients are the participants a message with ack mode A was sent to,
// and whether they had all left when its ACK came.
//
// The rule: an ACK counts as delivery only when at least one of the
// participants who were in the conversation when the message was sent
// was still there when the ACK arrived. The server sends every line of a
// conversation in the order it handled them, so a BYE read before the ACK
// means that participant had left before the server relayed the message;
// a BYE read after the ACK came after the message reached them. When all
// of them left before the ACK, the message is not delivered
// (*UnreceivedError, matching ErrNotDelivered).
type recipients struct {
	emails []string
	gone   atomic.Bool
}

// track records the participants of the moment as the recipients of
// call.
func (sb *Switchboard) track(call *engine.Call) *engine.Call {
	var emails []string
	for _, p := range sb.Participants() {
		emails = append(emails, p.Email)
	}
	call.Tag = &recipients{emails: emails}
	return call
}

// judgeAck runs on the reader goroutine before an ACK completes its call:
// it marks the call's message unreceived when all its recipients have
// left.
func (sb *Switchboard) judgeAck(cmd *proto.Command) {
	call := sb.c.Pending(cmd.TrID)
	if call == nil {
		return
	}
	r, ok := call.Tag.(*recipients)
	if !ok {
		return
	}
	sb.mu.Lock()
	defer sb.mu.Unlock()
	for _, e := range r.emails {
		if sb.find(e) >= 0 {
			return
		}
	}
	r.gone.Store(true)
}

// unreceived returns the error of a call acknowledged after all its
// recipients left, or nil.
func unreceived(call *engine.Call) error {
	r, ok := call.Tag.(*recipients)
	if !ok || !r.gone.Load() || call.Reply == nil || call.Reply.Verb != "ACK" {
		return nil
	}
	return &UnreceivedError{TrID: call.Reply.TrID, Left: append([]string(nil), r.emails...)}
}
