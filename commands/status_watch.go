package commands

import (
	"context"
	"errors"
	"fmt"
	"time"

	"msn/proto"
)

// errSessionEnded reports that the server closed the session without
// saying why.
var errSessionEnded = errors.New("the server ended the session")

// watch prints the snapshot, then every change until ctx ends (an
// interrupt: exit 0), limit passes (exit 0) or the session ends.
func (p *statusPrinter) watch(ctx context.Context, s *session, board *presenceBoard, rows []presenceRow, limit time.Duration) error {
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
	ns := s.Result.NS
	for {
		select {
		case <-board.wake:
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
func (p *statusPrinter) flush(board *presenceBoard) error {
	changes, dropped := board.take()
	if dropped > 0 {
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
func (p *statusPrinter) waitOnline(ctx context.Context, s *session, board *presenceBoard, o statusOptions) error {
	limit := o.For
	if limit <= 0 {
		limit = p.env.opts.Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	ns := s.Result.NS
	for {
		if seen, ok := board.lookup(o.WaitOnline); ok && online(seen.Status) {
			return p.announceOnline(o.WaitOnline, seen)
		}
		select {
		case <-board.wake:
		case <-ns.Done():
			return sessionEnd(ns)
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return withHint(withCode(ExTempFail, fmt.Errorf("%s did not come online within %s", o.WaitOnline, limit)),
					"wait longer with --for DURATION")
			}
			return ctx.Err()
		}
	}
}

// announceOnline prints that the awaited contact is online.
func (p *statusPrinter) announceOnline(email string, seen seenPresence) error {
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
func sessionEnd(ns *proto.Notification) error {
	if err := ns.Err(); err != nil {
		return err
	}
	return withCode(ExTempFail, errSessionEnded)
}
