package session

import (
	"context"
	"strings"
	"sync"
	"time"

	"msn/proto"
)

// Presence is the one tracker of who is online: it keeps the latest
// presence of each contact from a connection's events, lets a caller
// wait for a contact to come online, and, when asked, queues every
// change for a command that shows them (msn status --watch). Handle
// runs on the connection's reader goroutine and never blocks.
type Presence struct {
	mu      sync.Mutex
	seq     uint64
	seen    map[string]Seen // by lower-case address
	changed chan struct{}   // closed and replaced on every presence event
	changes *Queue[Change]  // nil unless changes are kept
}

// Seen is what the tracker knows of one contact.
type Seen struct {
	Status proto.Status
	Name   string
	seq    uint64 // the event it came from
}

// Change is one event for a watch: a contact's new presence, or someone
// adding you to or removing you from their list.
type Change struct {
	Time   time.Time
	Email  string
	Status proto.Status
	Name   string
	// Reverse is "added" or "removed" for a reverse-list change.
	Reverse string
}

// NewPresence returns a tracker that has seen nothing yet. With
// keepChanges above zero it also queues up to that many changes for
// Changes; past that, new ones are dropped and counted.
func NewPresence(keepChanges int) *Presence {
	p := &Presence{seen: map[string]Seen{}, changed: make(chan struct{})}
	if keepChanges > 0 {
		p.changes = NewQueue[Change](keepChanges)
	}
	return p
}

// Handle records presence and reverse-list events; it is a
// proto.Options.Handler.
func (p *Presence) Handle(ev proto.Event) {
	now := time.Now()
	switch ev := ev.(type) {
	case *proto.Presence:
		p.record(Change{Time: now, Email: ev.Email, Status: ev.Status, Name: ev.Name})
	case *proto.Offline:
		p.record(Change{Time: now, Email: ev.Email, Status: proto.StatusOffline})
	case *proto.ReverseListChange:
		c := Change{Time: now, Email: ev.Email, Name: ev.Name, Reverse: "removed"}
		if ev.Added {
			c.Reverse = "added"
		}
		p.record(c)
	}
}

// record notes one change, wakes the waiters and queues the change.
func (p *Presence) record(c Change) {
	p.mu.Lock()
	if c.Reverse == "" {
		key := strings.ToLower(c.Email)
		name := c.Name
		if name == "" {
			name = p.seen[key].Name
		}
		p.seq++
		p.seen[key] = Seen{Status: c.Status, Name: name, seq: p.seq}
		close(p.changed)
		p.changed = make(chan struct{})
	}
	if p.changes != nil {
		p.changes.Push(c) // under the lock, so that Snapshot sees it or its queue does
	}
	p.mu.Unlock()
}

// IsOnline reports whether a status means signed in and visible.
func IsOnline(s proto.Status) bool {
	return s != "" && s != proto.StatusOffline && s != proto.StatusHidden
}

// Lookup returns the presence of email, and whether any was seen.
func (p *Presence) Lookup(email string) (Seen, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.seen[strings.ToLower(email)]
	return s, ok
}

// Snapshot returns what is known of every contact, by lower-case
// address, and forgets the queued changes, which the snapshot already
// shows.
func (p *Presence) Snapshot() map[string]Seen {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]Seen, len(p.seen))
	for k, v := range p.seen {
		out[k] = v
	}
	if p.changes != nil {
		p.changes.Take()
		p.changes.TakeDropped()
	}
	return out
}

// Changes returns the queue of changes, or nil when none are kept.
func (p *Presence) Changes() *Queue[Change] { return p.changes }

// Changed returns a channel that is closed at the next presence event.
// Take it before looking at the presence, so that no event is missed.
func (p *Presence) Changed() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.changed
}

// Mark returns a position in the event stream: WaitOnline(mark) waits
// for an event that came after it.
func (p *Presence) Mark() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seq
}

// WaitOnline waits until an event after the mark says email is online,
// or ctx ends. With mark 0 it returns at once when email is known to be
// online already.
func (p *Presence) WaitOnline(ctx context.Context, email string, after uint64) error {
	email = strings.ToLower(email)
	for {
		p.mu.Lock()
		seen, ok := p.seen[email]
		changed := p.changed
		p.mu.Unlock()
		if ok && seen.seq > after && IsOnline(seen.Status) {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
