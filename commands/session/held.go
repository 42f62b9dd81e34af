package session

import (
	"context"
	"errors"
	"sync"

	"msn/commands/session/share"
	"msn/proto"
)

// held is the serving side of a session that other commands of the
// account run through: the holder on the socket, and what it needs to
// describe the session.
type held struct {
	cfg       Config
	path      string
	next      func(proto.Event) // the command's own handler, or nil
	board     *Presence         // who is online, for the welcome
	holder    *share.Holder     // nil until serve, and when serving failed
	mu        sync.Mutex        // guards holder and name
	name      string            // the account's friendly name, kept current
	s         *Session
	stopped   chan struct{} // closed by close: ends watch
	watched   chan struct{} // closed when watch has returned
	closeOnce sync.Once
}

// newHeld prepares to serve account's session; events pass through
// handle to next.
func newHeld(cfg Config, account string, next func(proto.Event)) *held {
	return &held{
		cfg:     cfg,
		path:    share.SocketPath(cfg.ShareDir, cfg.Server, account),
		next:    next,
		board:   NewPresence(0),
		stopped: make(chan struct{}),
		watched: make(chan struct{}),
	}
}

// handle records presence, passes the event to the clients, and to the
// command's handler unless a client took it (a ring). It runs on the
// notification reader goroutine and never blocks.
func (h *held) handle(ev proto.Event) {
	h.board.Handle(ev)
	h.mu.Lock()
	holder := h.holder
	h.mu.Unlock()
	if holder != nil && holder.Publish(ev) {
		return
	}
	if h.next != nil {
		h.next(ev)
	}
}

// serve starts serving s; a failure only warns, and the session goes on
// unshared. It also ends the holder when the connection ends.
func (h *held) serve(s *Session) {
	h.s = s
	h.name = s.Result.FriendlyName
	holder, err := share.Serve(h.path, h.cfg.Command, h)
	if err != nil {
		close(h.watched)
		if !errors.Is(err, share.ErrUnsupported) {
			h.cfg.warnf("not sharing the session with other commands: %v", err)
		}
		return
	}
	h.mu.Lock()
	h.holder = holder
	h.mu.Unlock()
	go h.watch(holder)
}

// watch ends the holder as soon as the connection ends, telling the
// clients why, or when close is called.
func (h *held) watch(holder *share.Holder) {
	defer close(h.watched)
	select {
	case <-h.s.own.Done():
		holder.Close(h.s.own.Err())
	case <-h.stopped:
	}
}

// close stops serving, telling the clients reason. Only the first call
// does anything.
func (h *held) close(reason error) {
	h.closeOnce.Do(func() { h.stop(reason) })
}

// stop is close's work.
func (h *held) stop(reason error) {
	close(h.stopped)
	<-h.watched
	h.mu.Lock()
	holder := h.holder
	h.mu.Unlock()
	if holder != nil {
		holder.Close(reason)
	}
}

// NS is the share.Backend's connection.
func (h *held) NS() *proto.Notification { return h.s.own }

// Ready waits for the contact list.
func (h *held) Ready(ctx context.Context) error { return h.s.lists.wait(ctx) }

// Welcome describes the session for a new client.
func (h *held) Welcome() share.Welcome {
	own := h.s.own
	h.mu.Lock()
	name := h.name
	h.mu.Unlock()
	w := share.Welcome{
		Account:      h.s.Account,
		Server:       h.cfg.Server,
		Handle:       own.Handle(),
		FriendlyName: name,
		Status:       own.Status(),
		Protocol:     own.Protocol(),
		AllowPrivate: own.ReferralPolicy().AllowPrivate,
		LocalAddr:    own.LocalAddr().String(),
	}
	w.List = h.s.lists.encode()
	for email, seen := range h.board.Snapshot() {
		w.Presence = append(w.Presence, share.Seen{Email: email, Name: seen.Name, Status: seen.Status})
	}
	return w
}

// Applied records a change the server confirmed for a client.
func (h *held) Applied(ch *proto.ListChange) {
	if ch.Kind == proto.ChangeName {
		h.mu.Lock()
		h.name = ch.Name
		h.mu.Unlock()
	}
	h.s.lists.apply(ch)
}
