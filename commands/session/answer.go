package session

import (
	"context"
	"sync"
	"time"

	"msn/proto"
	"msn/proto/switchboard"
)

// Bounds of an Answerer.
const (
	// MaxConversations bounds the conversations answered or open at
	// once; more rings are ignored.
	MaxConversations = 16
	// MaxPendingInvites bounds the invitations waiting in one
	// conversation while earlier ones are handled; more are dropped.
	MaxPendingInvites = 8
)

// TroubleKind says what an Answerer could not do.
type TroubleKind int

// The kinds of Trouble.
const (
	// TooManyConversations: a ring was ignored, MaxConversations are open.
	TooManyConversations TroubleKind = iota
	// TooManyInvitations: an invitation was dropped, MaxPendingInvites wait.
	TooManyInvitations
	// CannotAnswer: answering a ring failed with Err.
	CannotAnswer
)

// Trouble is something an Answerer could not do; it goes on.
type Trouble struct {
	Kind TroubleKind
	From string // the peer who rang or invited
	Err  error  // why, for CannotAnswer
}

// Answerer answers the rings of a notification connection: each
// conversation gets a goroutine of its own that owns its switchboard
// until everyone else has left, the server ends it, or the answerer
// stops. Set the hooks before the first Answer.
type Answerer struct {
	// Event receives each conversation's events on its reader goroutine
	// (it must not block), except the invitations, which go to Offer or
	// are declined.
	Event func(conv string, ev switchboard.Event)
	// Offer, when set, handles a file offer on the conversation's
	// goroutine, where it may wait for the sender and transfer the
	// file; without it, offers are declined like other invitations.
	Offer func(ctx context.Context, conv string, sb *switchboard.Switchboard, inv *switchboard.Invitation)
	// Trouble reports a problem without blocking.
	Trouble func(Trouble)

	ns      switchboard.Notifier
	timeout time.Duration
	done    context.Context // ends every conversation when cancelled
	wg      sync.WaitGroup
	slots   chan struct{} // one token per conversation being answered or open
}

// NewAnswerer returns an answerer for ns whose conversations end when
// done does; each answer and each declined invitation takes at most
// timeout.
func NewAnswerer(done context.Context, ns switchboard.Notifier, timeout time.Duration) *Answerer {
	return &Answerer{ns: ns, timeout: timeout, done: done, slots: make(chan struct{}, MaxConversations),
		Event: func(string, switchboard.Event) {}, Trouble: func(Trouble) {}}
}

// Answer joins the conversation ring invites to, on a goroutine of its
// own; with MaxConversations open it ignores the ring.
func (a *Answerer) Answer(ring *proto.Ring) {
	select {
	case a.slots <- struct{}{}:
	default:
		a.Trouble(Trouble{Kind: TooManyConversations, From: ring.From})
		return
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		defer func() { <-a.slots }()
		a.converse(ring)
	}()
}

// Wait returns when every conversation goroutine has ended; cancel done
// first.
func (a *Answerer) Wait() { a.wg.Wait() }

// converse answers ring and stays in the conversation while someone else
// is in it, handling its invitations one at a time.
func (a *Answerer) converse(ring *proto.Ring) {
	conv := ring.SessionID
	left := make(chan struct{}, 1)
	invites := NewQueue[*switchboard.Invitation](MaxPendingInvites)
	handler := func(ev switchboard.Event) {
		switch e := ev.(type) {
		case *switchboard.Left:
			select {
			case left <- struct{}{}:
			default:
			}
		case *switchboard.Invitation:
			if e.Command != switchboard.InviteCommand {
				return // a reply nobody waits for
			}
			if !invites.Push(e) {
				a.Trouble(Trouble{Kind: TooManyInvitations, From: e.From})
			}
			return
		}
		a.Event(conv, ev)
	}
	actx, cancel := context.WithTimeout(a.done, a.timeout)
	sb, err := switchboard.Answer(actx, a.ns, ring, switchboard.Options{Handler: handler})
	cancel()
	if err != nil {
		if a.done.Err() == nil {
			a.Trouble(Trouble{Kind: CannotAnswer, From: ring.From, Err: err})
		}
		return
	}
	defer sb.Close()
	for len(sb.Participants()) > 0 || invites.Len() > 0 {
		select {
		case <-sb.Done():
			return
		case <-a.done.Done():
			leave(sb)
			return
		case <-left:
		case <-invites.Ready():
			for _, inv := range invites.Take() {
				a.invitation(conv, sb, inv)
			}
		}
	}
	leave(sb)
}

// invitation handles one invitation: a file offer goes to Offer, any
// other application is declined as not installed (nothing is ever
// launched).
func (a *Answerer) invitation(conv string, sb *switchboard.Switchboard, inv *switchboard.Invitation) {
	if inv.IsFileOffer() && a.Offer != nil {
		a.Offer(a.done, conv, sb, inv)
		return
	}
	ctx, cancel := context.WithTimeout(a.done, a.timeout)
	defer cancel()
	_ = sb.CancelInvitation(ctx, inv, switchboard.CancelNotInstalled)
}

// leave says goodbye to a conversation and closes it without waiting
// for the server to hang up, as Caller.Close does: a server treats a
// closed connection as a goodbye anyway, and one that no longer reads
// (a stalled connection) would otherwise hold the command up to
// GoodbyeWait past its end.
func leave(sb *switchboard.Switchboard) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_ = sb.Leave(ctx)
}
