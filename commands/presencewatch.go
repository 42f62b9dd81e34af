package commands

import (
	"context"
	"strings"
	"sync"

	"msn/proto"
)

// presenceWatch follows contacts' presence from notification events, so
// that send --wait-online can wait for an offline contact to come back.
// Its handle method runs on the connection's reader goroutine and never
// blocks.
type presenceWatch struct {
	mu      sync.Mutex
	seq     uint64
	last    map[string]presenceSeen
	changed chan struct{} // closed and replaced on every event
}

// presenceSeen is the latest presence event of one contact.
type presenceSeen struct {
	seq    uint64
	online bool
}

// newPresenceWatch returns a watch that has seen nothing yet.
func newPresenceWatch() *presenceWatch {
	return &presenceWatch{last: map[string]presenceSeen{}, changed: make(chan struct{})}
}

// handle records Presence and Offline events.
func (w *presenceWatch) handle(ev proto.Event) {
	switch ev := ev.(type) {
	case *proto.Presence:
		w.record(ev.Email, ev.Status != proto.StatusOffline && ev.Status != proto.StatusHidden)
	case *proto.Offline:
		w.record(ev.Email, false)
	}
}

// record notes one contact's presence and wakes the waiters.
func (w *presenceWatch) record(email string, online bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.seq++
	w.last[strings.ToLower(email)] = presenceSeen{seq: w.seq, online: online}
	close(w.changed)
	w.changed = make(chan struct{})
}

// mark returns a position in the event stream: waitOnline(mark) waits
// for an event that came after it.
func (w *presenceWatch) mark() uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.seq
}

// waitOnline waits until an event after the mark says email is online,
// or ctx ends.
func (w *presenceWatch) waitOnline(ctx context.Context, email string, after uint64) error {
	email = strings.ToLower(email)
	for {
		w.mu.Lock()
		seen, ok := w.last[email]
		changed := w.changed
		w.mu.Unlock()
		if ok && seen.seq > after && seen.online {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
