package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"msn/commands/session"
	"msn/proto"
)

// errSessionEnded reports that the server closed the session without
// saying why.
var errSessionEnded = errors.New("the server ended the session")

// watch prints the snapshot, then every change until ctx ends (an
// interrupt: exit 0), limit passes (exit 0) or the session ends.
func (p *statusPrinter) watch(ctx context.Context, s *session.Session, board *session.Presence, rows []presenceRow, limit time.Duration) error {
	for _, r := range rows {
		p.width = max(p.width, displayWidth(showText(r.Email)))
	}
	if err := p.snapshot(rows); err != nil {
		return err
	}
	shown := newShownPresence(rows)
	var stop <-chan time.Time
	if limit > 0 {
		t := time.NewTimer(limit)
		defer t.Stop()
		stop = t.C
	}
	ns := s.NS()
	for {
		select {
		case <-board.Changes().Ready():
			if err := p.flush(s, board, shown); err != nil {
				return err
			}
		case <-ns.Done():
			_ = p.flush(s, board, shown)
			return sessionEnd(ns)
		case <-ctx.Done():
			return p.flush(s, board, shown)
		case <-stop:
			return p.flush(s, board, shown)
		}
	}
}

// flush prints the queued changes that are real changes of contacts on
// the forward list (see shownPresence.keep).
func (p *statusPrinter) flush(s *session.Session, board *session.Presence, shown *shownPresence) error {
	changes := board.Changes().Take()
	if dropped := board.Changes().TakeDropped(); dropped > 0 {
		p.env.Warnf("%d presence changes came too fast and were not shown", dropped)
	}
	if len(changes) == 0 {
		return nil
	}
	forward, err := forwardNames(s)
	if err != nil {
		return err
	}
	for _, c := range changes {
		if !shown.keep(&c, forward) {
			continue
		}
		if err := p.change(c); err != nil {
			return err
		}
	}
	return nil
}

// listLookupTimeout bounds the wait for the contact list during a watch,
// which has been synced before the watch began.
const listLookupTimeout = 5 * time.Second

// forwardNames returns the name of every contact on the forward list,
// by lower-case address. The list may have changed since the watch
// began (a contact added through the watch's shared session).
func forwardNames(s *session.Session) (map[string]string, error) {
	// Not the watch's context: the last flush runs after an interrupt.
	ctx, cancel := context.WithTimeout(context.Background(), listLookupTimeout)
	defer cancel()
	names := map[string]string{}
	err := s.WithList(ctx, func(cl *proto.ContactList) error {
		for _, c := range cl.On(proto.ForwardList) {
			names[strings.ToLower(c.Email)] = c.Name
		}
		return nil
	})
	return names, err
}

// shownPresence is what a watch has shown of each contact: the
// snapshot, then every change it printed.
type shownPresence struct {
	last map[string]presenceRow // by lower-case address
}

// newShownPresence starts from the snapshot's rows.
func newShownPresence(rows []presenceRow) *shownPresence {
	sp := &shownPresence{last: map[string]presenceRow{}}
	for _, r := range rows {
		sp.last[strings.ToLower(r.Email)] = r
	}
	return sp
}

// keep reports whether c is worth a line, and fills in what the server
// left out. Someone adding or removing you always is. A presence is
// kept only for a contact on the forward list (forward, by lower-case
// address, with the stored names), since a revival server tells you of
// everyone who has you on any list; and only when its status or name
// differs from what was last shown, since servers repeat a presence
// unchanged. An offline change (FLN) carries no name: it gets the last
// one shown, else the list's.
func (sp *shownPresence) keep(c *session.Change, forward map[string]string) bool {
	if c.Reverse != "" {
		return true
	}
	key := strings.ToLower(c.Email)
	listName, ok := forward[key]
	if !ok {
		return false
	}
	prev, seen := sp.last[key]
	if c.Name == "" {
		c.Name = prev.Name
	}
	if c.Name == "" {
		c.Name = listName
	}
	if seen && prev.Status == c.Status && prev.Name == c.Name {
		return false
	}
	sp.last[key] = presenceRow{Email: c.Email, Status: c.Status, Name: c.Name}
	return true
}

// waitOnline returns nil once email is online, at once when it already
// is, or a timeout error (exit 75) when o.For (default --timeout) passes.
func (p *statusPrinter) waitOnline(ctx context.Context, s *session.Session, board *session.Presence, o statusOptions) error {
	limit := o.For
	if limit <= 0 {
		limit = p.env.opts.Timeout
	}
	wctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	ns := s.NS()
	for {
		changed := board.Changed()
		if seen, ok := board.Lookup(o.WaitOnline); ok && session.IsOnline(seen.Status) {
			return p.announceOnline(o.WaitOnline, seen)
		}
		select {
		case <-changed:
		case <-ns.Done():
			return sessionEnd(ns)
		case <-wctx.Done():
			if errors.Is(wctx.Err(), context.DeadlineExceeded) {
				return withHint(withCode(ExTempFail, fmt.Errorf("%s did not come online within %s", o.WaitOnline, limit)),
					"wait longer with --for DURATION")
			}
			return wctx.Err()
		}
	}
}

// announceOnline prints that the awaited contact is online.
func (p *statusPrinter) announceOnline(email string, seen session.Seen) error {
	if p.env.opts.JSON {
		return p.json(time.Now(), email, seen.Status, seen.Name, false)
	}
	if p.env.opts.Quiet {
		return nil
	}
	_, err := fmt.Fprintf(p.env.Stdout, "%s is %s\n", showText(email), showStatus(seen.Status))
	return err
}

// sessionEnd returns why the notification connection ended.
func sessionEnd(ns session.Server) error {
	if err := ns.Err(); err != nil {
		return err
	}
	return withCode(ExTempFail, errSessionEnded)
}
