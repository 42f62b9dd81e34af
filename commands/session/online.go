package session

import (
	"context"
	"sync"

	"msn/proto"
)

// Online is the session of a long-running command that answers
// conversations (listen, recvfile): logged in with the list sync in the
// background, online with a presence, and an Answerer for its rings.
// The command sets the Answerer's hooks before it answers the first
// ring.
type Online struct {
	Session  *Session
	Answerer *Answerer

	stop   context.CancelFunc // ends the conversations
	closed sync.Once
}

// StayOnline logs account in and sets the presence that status returns
// (asked once logged in), and serves the session to the account's other
// commands; when another process holds the account's session, it runs
// through that one instead, taking its rings and leaving its presence
// alone. setup bounds the login and the status change
// (and, in the background, the list sync); life bounds the session and
// its conversations. Each ring is passed to ring
// on the reader goroutine (ring must not block); presence and list
// events are not its business. opts.Handler and opts.BackgroundSync are
// set here.
func StayOnline(life, setup context.Context, cfg Config, account string, opts Options, status func() proto.Status, ring func(*proto.Ring)) (*Online, error) {
	opts.Handler = func(ev proto.Event) {
		if r, ok := ev.(*proto.Ring); ok {
			ring(r)
		}
	}
	opts.BackgroundSync, opts.Hold, opts.Rings = true, true, true
	s, err := Open(setup, cfg, account, opts)
	if err != nil {
		return nil, err
	}
	done, stop := context.WithCancel(life)
	o := &Online{Session: s, Answerer: NewAnswerer(done, s.NS(), cfg.Timeout), stop: stop}
	if _, shared := s.SharedBy(); shared {
		return o, nil // the holder's presence stays as it is
	}
	if err := s.NS().SetStatus(setup, status()); err != nil {
		o.Close()
		return nil, err
	}
	return o, nil
}

// Close leaves every conversation, waits for their goroutines, logs out
// and closes the session. Only the first call does anything.
func (o *Online) Close() { o.closed.Do(o.end) }

// end is Close's work.
func (o *Online) end() {
	o.stop()
	ctx, cancel := context.WithTimeout(context.Background(), GoodbyeWait)
	defer cancel()
	_ = o.Session.NS().Logout(ctx)
	o.Answerer.Wait()
	_ = o.Session.Close()
}
