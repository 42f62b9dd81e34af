package proto

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"msn/proto/internal/engine"
)

// Waits of a list sync whose stream lacks GTC or BLP.
const (
	// settingsGrace is how long Sync waits for GTC and BLP once every
	// list line has arrived, before it fences the stream with a ping.
	settingsGrace = 500 * time.Millisecond
	// fenceTimeout bounds the wait for the fence's QNG.
	fenceTimeout = 5 * time.Second
)

// listState is a Notification's contact-list machinery: one sync at a
// time, the builders the collector feeds, and when the last ILN arrived.
type listState struct {
	syncMu sync.Mutex
	// collecting is set once a sync or a settle first needs the
	// collector.
	collecting atomic.Bool

	mu sync.Mutex
	// builder reads the current sync's stream; prev absorbs what is left
	// of the one before (its tail, or the rest of an abandoned stream).
	builder, prev *syncBuilder

	lastILN atomic.Int64 // UnixNano
}

// installCollector makes n.collect see every line no call claims.
func (n *Notification) installCollector() { n.lists.collecting.Store(true) }

// collect runs on the reader goroutine for every unclaimed line, before
// the event path, and reports whether a sync's stream consumed it. It
// notes when ILN lines arrive.
func (n *Notification) collect(cmd *Command) bool {
	if !n.lists.collecting.Load() {
		return false
	}
	if cmd.Verb == "ILN" {
		n.lists.lastILN.Store(time.Now().UnixNano())
	}
	n.lists.mu.Lock()
	b, prev := n.lists.builder, n.lists.prev
	n.lists.mu.Unlock()
	if b == nil {
		return false
	}
	consumed, ev := b.feed(cmd)
	if !consumed && prev != nil {
		consumed, ev = prev.feed(cmd)
	}
	if ev != nil {
		n.emit(ev)
	}
	return consumed
}

// Sync fetches the contact list. It sends the version of cached (0 when
// cached is nil); when the server says nothing changed it returns cached
// itself, else a new list read from the server's stream (GTC, BLP, PRP,
// LSG, LST, BPR) in either dialect.
//
// Lines of the stream that are malformed are skipped and reported as
// Malformed events; the list then has version 0, so the next Sync
// fetches it whole. A stream that cannot be read at all, or that exceeds
// MaxContacts or MaxGroups, is a *ProtocolError.
//
// MSNP8 announces the number of lines, and Sync returns after the last
// one; BPR lines for the last contact that arrive after that are
// delivered as *ListChange events for ContactList.Apply. MSNP7 does not,
// so Sync sends PNG in the same write as SYN and returns at the QNG.
func (n *Notification) Sync(ctx context.Context, cached *ContactList) (*ContactList, error) {
	n.lists.syncMu.Lock()
	defer n.lists.syncMu.Unlock()
	n.installCollector()
	b := newSyncBuilder(n.protocol, cached)
	// The builder reads the SYN reply where the stream's lines are
	// consumed (collect), so the reply's predicate stays pure.
	call := n.c.NewCall(&Command{Verb: "SYN", Args: []string{strconv.Itoa(b.requested)}},
		func(reply *Command) bool { return reply.Verb == "SYN" })
	b.call = call
	n.lists.mu.Lock()
	n.lists.prev, n.lists.builder = n.lists.builder, b
	n.lists.mu.Unlock()

	var pong *engine.Call
	if n.protocol == MSNP7 {
		// An MSNP7 stream announces no length, and servers differ in what
		// follows the reverse list (GTC, BLP, PRP). A PNG in the same
		// write ends it: the server answers in order, so QNG comes after
		// the last line of the stream.
		var err error
		if pong, err = n.pongWaiter(ctx); err != nil {
			return nil, err
		}
		n.c.Issue(ctx, []*engine.Call{call}, &Command{Verb: "PNG"})
	} else {
		n.c.Issue(ctx, []*engine.Call{call})
	}
	reply, err := call.Wait(ctx)
	if err == nil {
		b.begin(reply)
	}
	if pong != nil {
		// Wait for the QNG even after an error reply, so that it cannot
		// later be taken for the answer to another ping.
		if ferr := n.awaitFence(ctx, b, pong); err == nil {
			err = ferr
		}
	}
	if err != nil {
		return nil, err
	}
	if err := n.awaitStream(ctx, b); err != nil {
		return nil, err
	}
	return b.outcome()
}

// awaitFence waits for the QNG of the PNG sent with SYN, and ends the
// stream there.
func (n *Notification) awaitFence(ctx context.Context, b *syncBuilder, pong *engine.Call) error {
	select {
	case <-pong.Done():
		if pong.Err != nil {
			return pong.Err
		}
		b.endAtFence()
		return nil
	case <-ctx.Done():
		n.c.Forget(pong)
		return ctx.Err()
	}
}

// awaitStream waits until the builder is complete. When only GTC or BLP
// is missing, it waits a little for them and then sends PNG: servers
// answer in order, so the QNG shows that nothing more is coming.
func (n *Notification) awaitStream(ctx context.Context, b *syncBuilder) error {
	select {
	case <-b.doneCh:
		return nil
	case <-b.fenceCh:
	case <-n.c.Done():
		select {
		case <-b.doneCh: // the stream ended before the connection
			return nil
		default:
			return n.c.Err()
		}
	case <-ctx.Done():
		return ctx.Err()
	}
	grace := time.NewTimer(settingsGrace)
	defer grace.Stop()
	select {
	case <-b.doneCh:
		return nil
	case <-grace.C:
	case <-ctx.Done():
		return ctx.Err()
	}
	fctx, cancel := context.WithTimeout(ctx, fenceTimeout)
	defer cancel()
	if err := n.fence(fctx); err != nil && ctx.Err() != nil {
		return ctx.Err()
	} else if err != nil && n.c.Err() != nil {
		return n.c.Err()
	}
	b.endAtFence()
	return nil
}
