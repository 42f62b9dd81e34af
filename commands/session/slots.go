package session

import (
	"context"
	"sync/atomic"
	"time"

	"msn/proto"
	"msn/proto/switchboard"
)

// ConversationIdle is how long a conversation an Answerer holds may go
// without a line in either direction before the Answerer leaves it.
// Switchboards have no keep-alive, so a connection that died without a
// word looks like a quiet one; this bound is what frees its slot. The
// peer's next message opens a new conversation (msn send -i does so by
// itself). It is a variable so that tests can shorten it; NewAnswerer
// reads it.
var ConversationIdle = 5 * time.Minute

// heldConv is one conversation an Answerer answers or holds: what choosing
// one to leave and reporting on it need.
type heldConv struct {
	ring *proto.Ring
	// last is when a line last came or went, in Unix nanoseconds.
	last atomic.Int64
	// busy is set while the ring is answered and while an invitation is
	// handled (a transfer may be under way): such a conversation is not
	// left for a new one. Leaving one in the middle of its answer would
	// lose what its peer sends as soon as it sees the account join.
	busy atomic.Bool
	sb   atomic.Pointer[switchboard.Switchboard] // set once answered
	// expires is when a ring waiting for a slot is given up (guarded by
	// the Answerer's mu while it waits).
	expires time.Time
	// ctx ends when the conversation must be left: the Answerer stopped,
	// or took its slot.
	ctx    context.Context
	cancel context.CancelFunc
}

// newHeldConv starts the record of the conversation ring invites to.
func newHeldConv(done context.Context, ring *proto.Ring) *heldConv {
	c := &heldConv{ring: ring}
	c.ctx, c.cancel = context.WithCancel(done)
	c.busy.Store(true)
	c.touch()
	return c
}

// touch records traffic now.
func (c *heldConv) touch() { c.last.Store(time.Now().UnixNano()) }

// quiet returns how long no line has come or gone, at now.
func (c *heldConv) quiet(now time.Time) time.Duration { return now.Sub(time.Unix(0, c.last.Load())) }

// with names the others in the conversation, or the peer who rang when
// nobody is there (yet, or any more).
func (c *heldConv) with() []string {
	var out []string
	if sb := c.sb.Load(); sb != nil {
		for _, p := range sb.Participants() {
			out = append(out, p.Email)
		}
	}
	if len(out) == 0 {
		out = []string{c.ring.From}
	}
	return out
}

// take gives c a slot. When every slot is taken, it frees the one of
// the conversation quiet the longest that is not busy (answering, or
// handling an invitation) and returns that conversation, to be left; ok
// is false when none can be freed.
func (a *Answerer) take(c *heldConv) (left *heldConv, ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.open) >= MaxConversations {
		for o := range a.open {
			if !o.busy.Load() && (left == nil || o.last.Load() < left.last.Load()) {
				left = o
			}
		}
		if left == nil {
			return nil, false
		}
		delete(a.open, left)
	}
	a.open[c] = struct{}{}
	return left, true
}

// release frees c's slot, answers a ring waiting for one, and reports
// whether c held one (false when take already gave it to another
// conversation).
func (a *Answerer) release(c *heldConv) bool {
	a.mu.Lock()
	_, held := a.open[c]
	delete(a.open, c)
	a.mu.Unlock()
	if held {
		a.retry()
	}
	return held
}
