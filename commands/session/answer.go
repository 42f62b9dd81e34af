package session

import (
	"context"
	"errors"
	"sync"
	"time"

	"msn/proto"
	"msn/proto/switchboard"
)

// Bounds of an Answerer.
const (
	// MaxConversations bounds the conversations answered or open at
	// once. A ring that comes when every slot is taken makes the
	// Answerer leave the conversation quiet the longest (LeftForNew).
	MaxConversations = 16
	// MaxPendingInvites bounds the invitations waiting in one
	// conversation while earlier ones are handled; more are dropped.
	MaxPendingInvites = 8
)

// RingWait bounds how long a ring waits for a slot when every open
// conversation is busy, well within the 30 s its sender waits for the
// account to join. It is a variable so that tests can shorten it.
var RingWait = 10 * time.Second

// Answerer answers the rings of a notification connection: each
// conversation gets a goroutine of its own that owns its switchboard
// until everyone else has left, the server ends it, the connection
// breaks, it has been quiet for Idle, its slot goes to a new
// conversation, or the answerer stops. Every end the Answerer did not
// expect (a broken connection) and every conversation it leaves on its
// own goes to Trouble, and frees the slot at once. Set the hooks before
// the first Answer.
type Answerer struct {
	// Event receives each conversation's events on its reader goroutine
	// (it must not block), except the invitations, which go to Offer or
	// are declined.
	Event func(conv string, ev switchboard.Event)
	// Offer, when set, handles a file offer on the conversation's
	// goroutine, where it may wait for the sender and transfer the
	// file; without it, offers are declined like other invitations.
	Offer func(ctx context.Context, conv string, sb *switchboard.Switchboard, inv *switchboard.Invitation)
	// Trouble reports a problem, or a conversation that ended other than
	// by everyone leaving (see Trouble.Ended), without blocking.
	Trouble func(Trouble)
	// Idle is how long a conversation may stay quiet before it is left;
	// NewAnswerer sets it to ConversationIdle, and zero means that too.
	Idle time.Duration

	ns      switchboard.Notifier
	timeout time.Duration
	done    context.Context // ends every conversation when cancelled
	wg      sync.WaitGroup
	mu      sync.Mutex
	open    map[*heldConv]struct{} // the conversations holding a slot
	pending []*heldConv            // rings waiting for a slot, oldest first
}

// NewAnswerer returns an answerer for ns whose conversations end when
// done does; each answer and each declined invitation takes at most
// timeout.
func NewAnswerer(done context.Context, ns switchboard.Notifier, timeout time.Duration) *Answerer {
	return &Answerer{ns: ns, timeout: timeout, done: done, open: map[*heldConv]struct{}{}, Idle: ConversationIdle,
		Event: func(string, switchboard.Event) {}, Trouble: func(Trouble) {}}
}

// Answer joins the conversation ring invites to, on a goroutine of its
// own. With MaxConversations open, it first leaves the one quiet the
// longest (its peers see the account leave) and reports it. When every
// open conversation is busy (being answered, or handling an
// invitation), the ring waits for one to be free, up to RingWait; only
// then is it ignored.
func (a *Answerer) Answer(ring *proto.Ring) {
	c := newHeldConv(a.done, ring)
	if a.start(c) {
		return
	}
	a.mu.Lock()
	if len(a.pending) >= MaxConversations {
		a.mu.Unlock()
		a.ignore(c)
		return
	}
	c.expires = time.Now().Add(RingWait)
	a.pending = append(a.pending, c)
	a.mu.Unlock()
	time.AfterFunc(RingWait, func() {
		if a.unqueue(c) {
			a.ignore(c)
		}
	})
	a.retry() // a slot may have come free meanwhile
}

// start gives c a slot, leaving the quietest conversation when needed,
// and answers it on a goroutine of its own; it reports false when every
// slot is busy.
func (a *Answerer) start(c *heldConv) bool {
	left, ok := a.take(c)
	if !ok {
		return false
	}
	if left != nil {
		a.Trouble(Trouble{Kind: LeftForNew, From: c.ring.From, Conv: left.ring.SessionID, With: left.with(), Quiet: left.quiet(time.Now())})
		left.cancel()
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		defer c.cancel()
		defer a.release(c)
		a.converse(c)
	}()
	return true
}

// ignore gives up on c's ring and says so.
func (a *Answerer) ignore(c *heldConv) {
	c.cancel()
	if a.done.Err() == nil {
		a.Trouble(Trouble{Kind: TooManyConversations, From: c.ring.From})
	}
}

// unqueue removes c from the rings waiting for a slot and reports
// whether it was there.
func (a *Answerer) unqueue(c *heldConv) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, p := range a.pending {
		if p == c {
			a.pending = append(a.pending[:i], a.pending[i+1:]...)
			return true
		}
	}
	return false
}

// free marks c as no longer busy and answers the rings waiting for a
// slot, in order, while slots can be had.
func (a *Answerer) free(c *heldConv) {
	c.busy.Store(false)
	a.retry()
}

// retry answers the rings waiting for a slot, in order, while slots can
// be had.
func (a *Answerer) retry() {
	for {
		a.mu.Lock()
		if len(a.pending) == 0 || a.done.Err() != nil {
			a.mu.Unlock()
			return
		}
		c := a.pending[0]
		a.pending = a.pending[1:]
		a.mu.Unlock()
		if !a.start(c) {
			if !time.Now().Before(c.expires) {
				a.ignore(c) // its timer came while it was out of the queue
				return
			}
			a.mu.Lock()
			a.pending = append([]*heldConv{c}, a.pending...)
			a.mu.Unlock()
			return
		}
	}
}

// Wait returns when every conversation goroutine has ended; cancel done
// first.
func (a *Answerer) Wait() { a.wg.Wait() }

// converse answers c's ring and stays in the conversation while someone
// else is in it, handling its invitations one at a time, until it ends
// or has to be left.
func (a *Answerer) converse(c *heldConv) {
	conv := c.ring.SessionID
	left := make(chan struct{}, 1)
	invites := NewQueue[*switchboard.Invitation](MaxPendingInvites)
	handler := func(ev switchboard.Event) {
		c.touch()
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
	actx, cancel := context.WithTimeout(c.ctx, a.timeout)
	sb, err := switchboard.Answer(actx, a.ns, c.ring, switchboard.Options{Handler: handler})
	cancel()
	if err != nil {
		if c.ctx.Err() == nil {
			a.Trouble(Trouble{Kind: CannotAnswer, From: c.ring.From, Err: err})
		}
		return
	}
	c.sb.Store(sb)
	c.touch()
	a.free(c)
	defer sb.Close()
	bound := a.Idle
	if bound <= 0 {
		bound = ConversationIdle
	}
	idle := time.NewTimer(bound)
	defer idle.Stop()
	for len(sb.Participants()) > 0 || invites.Len() > 0 {
		select {
		case <-sb.Done():
			a.broken(c, sb)
			return
		case <-c.ctx.Done():
			a.leave(sb) // the answerer stopped, or gave the slot away
			return
		case <-idle.C:
			if q := c.quiet(time.Now()); q < bound {
				idle.Reset(bound - q)
				continue
			}
			if a.release(c) {
				a.Trouble(Trouble{Kind: LeftIdle, From: c.ring.From, Conv: conv, With: c.with(), Quiet: c.quiet(time.Now())})
			}
			a.leave(sb)
			return
		case <-left:
		case <-invites.Ready():
			c.busy.Store(true)
			for _, inv := range invites.Take() {
				a.invitation(conv, sb, inv)
			}
			c.touch()
			a.free(c)
		}
	}
	a.release(c)
	a.leave(sb)
}

// broken reports the end of a conversation whose connection ended
// without the Answerer leaving it, unless it ended in order: a goodbye
// or hang-up once nobody else was in it.
func (a *Answerer) broken(c *heldConv, sb *switchboard.Switchboard) {
	err := sb.Err()
	orderly := err == nil || errors.Is(err, proto.ErrClosed)
	if orderly && len(sb.Participants()) == 0 {
		return
	}
	if !a.release(c) || c.ctx.Err() != nil {
		return // left on purpose meanwhile
	}
	if orderly {
		err = ErrHungUp
	}
	a.Trouble(Trouble{Kind: ConversationBroken, From: c.ring.From, Conv: c.ring.SessionID, With: c.with(), Err: err})
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

// leave says goodbye to a conversation and, while the Answerer goes on,
// waits for the server to hang up (within the switchboard's own bound):
// a message the server relayed before it saw the goodbye was
// acknowledged to its sender, so it is still read and passed on. Once
// the Answerer stops, the conversation is closed at once, as
// Caller.Close does: a server takes a closed connection as a goodbye,
// and one that no longer reads (a stalled connection) must not hold the
// command up past its end.
func (a *Answerer) leave(sb *switchboard.Switchboard) {
	_ = sb.Leave(a.done)
}
