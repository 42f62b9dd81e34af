package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"msn/proto"
	"msn/proto/switchboard"
)

// maxReopen bounds how many times in a row send -i reopens the
// conversation without getting a message through.
const maxReopen = 5

// pump sends the lines of send -i: up to a window of them await their
// acknowledgement at once; when the conversation fails, the lines not
// acknowledged are sent again, in order, on a new one. Lines wait for an
// acknowledgement at most --timeout: once that long has passed without
// one arriving, reopening stops and send -i fails.
type pump struct {
	cv      *conversation
	sender  *switchboard.Sender
	backlog []string // lines to send before reading more
	sent    int      // lines acknowledged by earlier senders
	reopens int      // reopens since the last acknowledgement
	lastErr error
	// waiting is when the lines now unacknowledged began to wait with no
	// acknowledgement arriving; zero when no line waits.
	waiting time.Time
	// seen is the sender's Confirmed when waiting was last set.
	seen int
	// ackTimer fires when the acknowledgement of the oldest line in
	// flight is due (armed), so that a line that fails is noticed while
	// stdin is idle.
	ackTimer *time.Timer
	armed    time.Time
}

// interactive sends each line of in as it arrives, then waits for every
// acknowledgement.
func (cv *conversation) interactive(ctx context.Context, in *lineSource) error {
	defer cv.close()
	p := &pump{cv: cv}
	// Open at once, so that an offline recipient is reported before the
	// first line arrives, which may take hours with tail -f.
	if err := p.open(ctx); err != nil {
		return cv.result(err)
	}
	err := p.run(ctx, in)
	unacked := len(p.backlog)
	if p.sender != nil {
		unacked += len(p.sender.Unconfirmed())
		p.sent += p.sender.Confirmed()
	}
	if err != nil {
		switch {
		case unacked == 0:
		case errors.Is(err, context.Canceled) || len(cv.failures) > 0:
			cv.env.errorf("send: %d line(s) not acknowledged", unacked)
		default:
			err = fmt.Errorf("send: %d line(s) not acknowledged: %w", unacked, err)
		}
		return cv.result(err)
	}
	for _, r := range cv.opts.Recipients {
		if _, failed := cv.failed[strings.ToLower(r)]; !failed {
			if err := cv.reportSent(r, p.sent); err != nil {
				return err
			}
		}
	}
	return cv.result(nil)
}

// run is the loop of interactive: the backlog first, then stdin; at the
// end of stdin, a flush. While it waits for stdin, it also watches the
// oldest line in flight, so that its failure (refused, not received, or
// no acknowledgement in time) is handled at once, not at the next line.
func (p *pump) run(ctx context.Context, in *lineSource) error {
	defer p.stopAckTimer()
	lines := in.lines
	for {
		if len(p.backlog) > 0 {
			text := p.backlog[0]
			p.backlog = p.backlog[1:]
			if err := p.send(ctx, text); err != nil {
				return err
			}
			continue
		}
		if lines == nil {
			if p.sender == nil {
				return in.err
			}
			if err := p.sender.Flush(ctx); err != nil {
				if err := p.recover(err, nil); err != nil {
					return err
				}
				continue
			}
			return in.err
		}
		answered, due := p.watch()
		select {
		case line, ok := <-lines:
			if !ok {
				lines = nil
				if errors.Is(in.err, errLineTooLong) {
					in.err = withCode(ExDataErr, in.err)
				} else if in.err != nil {
					in.err = withCode(ExIOErr, fmt.Errorf("send: read stdin: %w", in.err))
				}
				continue
			}
			if text := p.clean(line); text != "" {
				if err := p.send(ctx, text); err != nil {
					return err
				}
			}
		case <-answered:
			if err := p.check(); err != nil {
				return err
			}
		case <-due:
			if err := p.check(); err != nil {
				return err
			}
		case <-p.sbDone():
			if err := p.recover(p.cv.sb().Err(), nil); err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// watch returns what run waits for about the oldest line in flight: its
// answer, and the timer of its acknowledgement's due time; nil channels
// when no line is in flight.
func (p *pump) watch() (answered <-chan struct{}, due <-chan time.Time) {
	if p.sender == nil {
		return nil, nil
	}
	answered, at := p.sender.Next()
	if at.IsZero() {
		return nil, nil
	}
	if p.ackTimer == nil {
		p.ackTimer = time.NewTimer(time.Until(at))
	} else if !at.Equal(p.armed) {
		p.ackTimer.Reset(time.Until(at))
	}
	p.armed = at
	return answered, p.ackTimer.C
}

// stopAckTimer stops the timer of watch.
func (p *pump) stopAckTimer() {
	if p.ackTimer != nil {
		p.ackTimer.Stop()
	}
}

// check collects the lines the server answered while run waited for
// stdin; a failure is handled as one found by send.
func (p *pump) check() error {
	confirmed := p.sender.Confirmed()
	err := p.sender.Check(time.Now())
	if p.sender.Confirmed() > confirmed {
		p.reopens = 0
	}
	p.progress()
	if err == nil {
		return nil
	}
	return p.recover(err, nil)
}

// clean makes a line of stdin ready to send: invalid UTF-8 becomes
// U+FFFD, with one warning.
func (p *pump) clean(line string) string {
	if !utf8.ValidString(line) {
		p.cv.env.Warnf("send: stdin is not valid UTF-8; invalid bytes are sent as U+FFFD")
		line = strings.ToValidUTF8(line, "\uFFFD")
	}
	return line
}

// send sends one line, reopening the conversation first when it is
// closed.
func (p *pump) send(ctx context.Context, text string) error {
	if p.sender == nil {
		if err := p.open(ctx); err != nil {
			return err
		}
	}
	confirmed := p.sender.Confirmed()
	err := p.sender.Send(ctx, text)
	if p.sender.Confirmed() > confirmed {
		p.reopens = 0
	}
	p.progress()
	if p.waiting.IsZero() {
		p.waiting = time.Now()
	}
	if err == nil {
		return nil
	}
	return p.recover(err, &text)
}

// progress restarts the wait of the lines still unacknowledged when the
// sender confirmed more lines since it last looked.
func (p *pump) progress() {
	if p.sender == nil || p.sender.Confirmed() == p.seen {
		return
	}
	p.seen = p.sender.Confirmed()
	p.waiting = time.Now()
}

// deadline is when the lines now waiting stop waiting: --timeout after
// they began to; zero when no line waits.
func (p *pump) deadline() time.Time {
	if p.waiting.IsZero() {
		return time.Time{}
	}
	return p.waiting.Add(p.cv.env.opts.Timeout)
}

// backoff is the pause before the next reopen: none for the first
// open, then doubling from 250 ms up to 5 s.
func (p *pump) backoff() time.Duration {
	if p.reopens == 0 {
		return 0
	}
	return min(250*time.Millisecond<<(p.reopens-1), 5*time.Second)
}

// recover handles the failure err of the conversation: when reopening
// may help, the lines not acknowledged (and text, which was not sent)
// go back to the front of the backlog and the switchboard is dropped, to
// be reopened by the next send.
func (p *pump) recover(err error, text *string) error {
	if !p.retryable(err) {
		return err
	}
	p.reopens++
	p.lastErr = err
	var again []string
	if p.sender != nil {
		again = p.sender.Unconfirmed()
		p.progress()
		if p.sender.Confirmed() > 0 {
			p.reopens = 1 // this switchboard got messages through
		}
		p.sent += p.sender.Confirmed()
		p.sender, p.seen = nil, 0
	}
	if text != nil {
		again = append(again, *text)
	}
	p.backlog = append(again, p.backlog...)
	if len(p.backlog) == 0 {
		p.waiting = time.Time{}
	}
	if end := p.deadline(); !end.IsZero() && !time.Now().Add(p.backoff()).Before(end) {
		// Reopening could not get a line through before the wait ends;
		// the switchboard is left as it is, and closed with the session.
		return fmt.Errorf("no acknowledgement within --timeout %s: %w", p.cv.env.opts.Timeout, err)
	}
	p.cv.caller.Leave(p.deadline()) // the lines' wait bounds the goodbye too
	if p.reopens > maxReopen {
		return fmt.Errorf("send: gave up after reopening the conversation %d times: %w", maxReopen, err)
	}
	return nil
}

// retryable reports whether err is the conversation's end rather than
// the recipients': the server or the peers closed it, or a message went
// unconfirmed.
func (p *pump) retryable(err error) bool {
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return false
	case err == nil, errors.Is(err, switchboard.ErrNotDelivered), errors.Is(err, switchboard.ErrUnconfirmed),
		errors.Is(err, switchboard.ErrNoParticipants), errors.Is(err, proto.ErrClosed):
		return true
	}
	sb := p.cv.sb()
	return sb != nil && sb.Err() != nil
}

// open opens the conversation and a sender on it, waiting a little
// longer before each reopen.
func (p *pump) open(ctx context.Context) error {
	if wait := p.backoff(); wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
	end := time.Now().Add(p.cv.env.opts.Timeout + p.cv.opts.WaitOnline)
	if waitEnd := p.deadline(); !waitEnd.IsZero() {
		end = waitEnd.Add(p.cv.opts.WaitOnline)
	}
	octx, cancel := context.WithDeadline(ctx, end)
	defer cancel()
	if _, err := p.cv.open(octx); err != nil {
		if p.lastErr != nil && ctx.Err() == nil {
			return fmt.Errorf("send: cannot reopen the conversation: %w", err)
		}
		return err
	}
	p.sender = p.cv.sb().NewSender(p.cv.opts.Window, nil)
	return nil
}

// sbDone is the end of the switchboard, or nil when there is none.
func (p *pump) sbDone() <-chan struct{} {
	sb := p.cv.sb()
	if sb == nil {
		return nil
	}
	return sb.Done()
}
