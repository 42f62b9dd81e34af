package commands

import (
	"strings"
	"sync"
	"time"

	"msn/proto"
)

// maxQueuedChanges bounds the presence changes waiting to be printed;
// past it the oldest are dropped and counted.
const maxQueuedChanges = 10000

// presenceBoard keeps the latest presence of each contact from the
// connection's events, and queues the changes for msn status --watch.
// handle runs on the reader goroutine and never blocks.
type presenceBoard struct {
	mu      sync.Mutex
	seen    map[string]seenPresence // by lower-case address
	queue   []presenceChange
	dropped int
	wake    chan struct{} // capacity 1: something was queued
}

// seenPresence is what the board knows of one contact.
type seenPresence struct {
	Status proto.Status
	Name   string
}

// presenceChange is one event for the watch: a contact's new presence,
// or someone adding you to or removing you from their list.
type presenceChange struct {
	Time   time.Time
	Email  string
	Status proto.Status
	Name   string
	// Reverse is "added" or "removed" for a reverse-list change.
	Reverse string
}

// newPresenceBoard returns a board that has seen nothing yet.
func newPresenceBoard() *presenceBoard {
	return &presenceBoard{seen: map[string]seenPresence{}, wake: make(chan struct{}, 1)}
}

// handle records presence and reverse-list events.
func (b *presenceBoard) handle(ev proto.Event) {
	now := time.Now()
	switch ev := ev.(type) {
	case *proto.Presence:
		b.record(presenceChange{Time: now, Email: ev.Email, Status: ev.Status, Name: ev.Name})
	case *proto.Offline:
		b.record(presenceChange{Time: now, Email: ev.Email, Status: proto.StatusOffline})
	case *proto.ReverseListChange:
		c := presenceChange{Time: now, Email: ev.Email, Name: ev.Name, Reverse: "removed"}
		if ev.Added {
			c.Reverse = "added"
		}
		b.record(c)
	}
}

// record notes one change and wakes the watch.
func (b *presenceBoard) record(c presenceChange) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if c.Reverse == "" {
		key := strings.ToLower(c.Email)
		name := c.Name
		if name == "" {
			name = b.seen[key].Name
		}
		b.seen[key] = seenPresence{Status: c.Status, Name: name}
	}
	if len(b.queue) >= maxQueuedChanges {
		b.queue = b.queue[1:]
		b.dropped++
	}
	b.queue = append(b.queue, c)
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// snapshot returns what is known of every contact and forgets the queued
// changes, which the snapshot already shows.
func (b *presenceBoard) snapshot() map[string]seenPresence {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make(map[string]seenPresence, len(b.seen))
	for k, v := range b.seen {
		out[k] = v
	}
	b.queue, b.dropped = nil, 0
	return out
}

// lookup returns the presence of email, and whether any was seen.
func (b *presenceBoard) lookup(email string) (seenPresence, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	p, ok := b.seen[strings.ToLower(email)]
	return p, ok
}

// take returns the queued changes and how many were dropped.
func (b *presenceBoard) take() ([]presenceChange, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	q, d := b.queue, b.dropped
	b.queue, b.dropped = nil, 0
	return q, d
}

// online reports whether a status means signed in and visible.
func online(s proto.Status) bool {
	return s != "" && s != proto.StatusOffline && s != proto.StatusHidden
}
