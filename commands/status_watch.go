package commands

import (
	"context"
	"errors"
	"fmt"
	"time"

	"msn/commands/session"
)

// errSessionEnded reports that the server closed the session without
// saying why.
var errSessionEnded = errors.New("the server ended the session")

// watch prints the snapshot, then every change until ctx ends (an
// interrupt: exit 0), limit passes (exit 0) or the session ends.
func (p *statusPrinter) watch(ctx context.Context, s *session.Session, board *session.Presence, rows []presenceRow, limit time.Duration) error {
	for _, r := range rows {
		p.width = max(p.width, len([]rune(showText(r.Email))))
	}
	if err := p.snapshot(rows); err != nil {
		return err
	}
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
			if err := p.flush(board); err != nil {
				return err
			}
		case <-ns.Done():
			_ = p.flush(board)
			return sessionEnd(ns)
		case <-ctx.Done():
			return p.flush(board)
		case <-stop:
			return p.flush(board)
		}
	}
}

// flush prints the queued changes.
func (p *statusPrinter) flush(board *session.Presence) error {
	changes := board.Changes().Take()
	if dropped := board.Changes().TakeDropped(); dropped > 0 {
		p.env.Warnf("%d presence changes came too fast and were not shown", dropped)
	}
	for _, c := range changes {
		if err := p.change(c); err != nil {
			return err
		}
	}
	return nil
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
