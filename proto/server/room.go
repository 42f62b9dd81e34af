package server

import (
	"sync"
	"time"
)

// A conversation's fastest sender must not outrun a recipient who reads
// more slowly: the messages it relays would fill the recipient's queue,
// and the recipient would be dropped with messages already acknowledged.
// So once a recipient's queue is half full, the server stops reading the
// sender's connection until that queue has drained to a quarter: the
// sender is held back at the reader's pace, through TCP. A recipient who
// does not read at all is dropped by its own writer, writeTimeout after
// its last write began, and the sender goes on; it waits no longer than
// that in any case.
const (
	busyReplies = outQueue / 2 // a queue this long holds its senders back
	busyBytes   = outBytes / 2
	freeReplies = outQueue / 4 // and lets them go again at this length
	freeBytes   = outBytes / 4
)

// room tells those held back by a busy connection when its queue has
// drained.
type room struct {
	mu      sync.Mutex
	drained chan struct{} // closed when the queue drains; nil when nobody waits
}

// busy reports whether c's queue is long enough to hold its senders back.
func (c *conn) busy() bool {
	return len(c.out) > busyReplies || c.queued.Load() > busyBytes
}

// free reports whether c's queue is short enough to let them go.
func (c *conn) free() bool {
	return len(c.out) <= freeReplies && c.queued.Load() <= freeBytes
}

// drained returns a channel closed once c's queue is free.
func (c *conn) drained() <-chan struct{} {
	c.room.mu.Lock()
	defer c.room.mu.Unlock()
	if c.free() {
		return closedChan
	}
	if c.room.drained == nil {
		c.room.drained = make(chan struct{})
	}
	return c.room.drained
}

// wrote lets go whoever waits for c's queue, once it is free; the writer
// calls it after each write.
func (c *conn) wrote() {
	if !c.free() {
		return
	}
	c.room.mu.Lock()
	if c.room.drained != nil {
		close(c.room.drained)
		c.room.drained = nil
	}
	c.room.mu.Unlock()
}

// closedChan is a channel that is always ready.
var closedChan = func() chan struct{} {
	ch := make(chan struct{})
	close(ch)
	return ch
}()

// holdBackFor records that c relayed to a busy recipient; c reads its
// next line only once that recipient has room. The caller holds s.mu,
// and c is its own reader's.
func (c *conn) holdBackFor(recipient *conn) {
	if recipient.busy() {
		c.heldBy = append(c.heldBy, recipient)
	}
}

// waitForRoom waits, without s.mu, until every busy recipient recorded
// by holdBackFor has drained, left, or was dropped for not reading, and
// for writeTimeout at most.
func (c *conn) waitForRoom() {
	if len(c.heldBy) == 0 {
		return
	}
	timer := time.NewTimer(writeTimeout)
	defer timer.Stop()
	for _, r := range c.heldBy {
		select {
		case <-r.drained():
		case <-r.done:
		case <-c.done:
		case <-timer.C:
		}
	}
	c.heldBy = c.heldBy[:0]
}
