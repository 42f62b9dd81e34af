package commands

import (
	"context"
	"fmt"
	"sync"

	"msn/proto"
)

// maxPendingInvites bounds the invitations one conversation holds while
// an earlier one is being handled; more are dropped with a warning.
const maxPendingInvites = 8

// answerer answers the rings of a notification connection, for listen
// and recvfile: each conversation gets a goroutine of its own that owns
// its switchboard until everyone else has left, the server ends it, or
// the answerer stops. At most maxConversations are open at once.
type answerer struct {
	env *Env
	ns  *proto.Notification
	// event receives each conversation's events on its reader goroutine
	// (it must not block), except the invitations, which go to invite.
	event func(conv string, ev proto.Event)
	// offer handles a file offer on the conversation's goroutine, where
	// it may wait for the sender and transfer the file.
	offer func(ctx context.Context, conv string, sb *proto.Switchboard, inv *proto.Invitation)
	// warn reports a problem without blocking.
	warn func(msg string)

	done  context.Context // ends every conversation when cancelled
	wg    sync.WaitGroup
	slots chan struct{} // one token per conversation being answered or open
}

// newAnswerer returns an answerer whose conversations end when done does.
func newAnswerer(done context.Context, env *Env, ns *proto.Notification) *answerer {
	return &answerer{env: env, ns: ns, done: done, slots: make(chan struct{}, maxConversations)}
}

// answer joins the conversation ring invites to, on a goroutine of its
// own; with maxConversations open it ignores the ring with a warning.
func (a *answerer) answer(ring *proto.Ring) {
	select {
	case a.slots <- struct{}{}:
	default:
		a.warn(fmt.Sprintf("ignoring an invitation from %s: %d conversations are open", escapeDisplay(ring.From), maxConversations))
		return
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		defer func() { <-a.slots }()
		a.converse(ring)
	}()
}

// wait returns when every conversation goroutine has ended; cancel done
// first.
func (a *answerer) wait() { a.wg.Wait() }

// converse answers ring and stays in the conversation while someone else
// is in it, handling its invitations one at a time.
func (a *answerer) converse(ring *proto.Ring) {
	conv := ring.SessionID
	left := make(chan struct{}, 1)
	invites := make(chan *proto.Invitation, maxPendingInvites)
	handler := func(ev proto.Event) {
		switch e := ev.(type) {
		case *proto.Left:
			select {
			case left <- struct{}{}:
			default:
			}
		case *proto.Invitation:
			if e.Command != proto.InviteCommand {
				return // a reply nobody waits for
			}
			select {
			case invites <- e:
			default:
				a.warn(fmt.Sprintf("ignoring an invitation from %s: %d are waiting", escapeDisplay(e.From), maxPendingInvites))
			}
			return
		}
		a.event(conv, ev)
	}
	actx, cancel := context.WithTimeout(a.done, a.env.opts.Timeout)
	sb, err := a.ns.Answer(actx, ring, proto.SwitchboardOptions{Handler: handler})
	cancel()
	if err != nil {
		if a.done.Err() == nil {
			a.warn(fmt.Sprintf("cannot answer %s: %v", escapeDisplay(ring.From), err))
		}
		return
	}
	defer sb.Close()
	for len(sb.Participants()) > 0 || len(invites) > 0 {
		select {
		case <-sb.Done():
			return
		case <-a.done.Done():
			leave(sb)
			return
		case <-left:
		case inv := <-invites:
			a.invitation(conv, sb, inv)
		}
	}
	leave(sb)
}

// invitation handles one invitation: a file offer goes to offer, any other
// application is declined as not installed (nothing is ever launched).
func (a *answerer) invitation(conv string, sb *proto.Switchboard, inv *proto.Invitation) {
	if inv.IsFileOffer() && a.offer != nil {
		a.offer(a.done, conv, sb, inv)
		return
	}
	ctx, cancel := context.WithTimeout(a.done, a.env.opts.Timeout)
	defer cancel()
	_ = sb.CancelInvitation(ctx, inv, proto.CancelNotInstalled)
}

// leave says goodbye to a conversation, waiting briefly for the server.
func leave(sb *proto.Switchboard) {
	ctx, cancel := context.WithTimeout(context.Background(), goodbyeWait)
	defer cancel()
	_ = sb.Leave(ctx)
}
