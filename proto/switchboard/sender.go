package switchboard

import (
	"context"
	"errors"
	"time"
)

// errSenderStopped is the error of a Sender after Unconfirmed.
var errSenderStopped = errors.New("proto: sender stopped")

// Sender sends a stream of texts on one switchboard with up to a window
// of them awaiting acknowledgement, so that a fast source is not slowed
// to one round trip per text. Texts reach the server in the order given.
// A Sender is meant for one goroutine; the Switchboard may be used by
// others meanwhile.
//
// After an error the Sender stops: Unconfirmed returns the texts that
// were not acknowledged, in order, so they can be sent again on another
// switchboard.
type Sender struct {
	sb        *Switchboard
	format    *TextFormat
	window    int
	inflight  []*Delivery
	confirmed int
	err       error
}

// NewSender returns a Sender keeping at most window texts in flight (1
// when window is smaller), in the given format (nil: DefaultTextFormat).
func (sb *Switchboard) NewSender(window int, format *TextFormat) *Sender {
	return &Sender{sb: sb, format: format, window: max(window, 1)}
}

// Send starts sending text, first waiting while the window is full. It
// returns the error of an earlier text, if one failed (the Sender then
// stays failed); in that case, or when the text itself is refused (empty,
// or nobody to send to), the text is not sent.
func (s *Sender) Send(ctx context.Context, text string) error {
	if s.err != nil {
		return s.err
	}
	if err := s.reap(); err != nil {
		return err
	}
	for len(s.inflight) >= s.window {
		if err := s.waitHead(ctx); err != nil {
			return err
		}
	}
	d := s.sb.GoText(ctx, text, s.format)
	if d.err != nil {
		return d.err
	}
	s.inflight = append(s.inflight, d)
	return nil
}

// Flush waits until every text sent so far is acknowledged, and returns
// the first failure.
func (s *Sender) Flush(ctx context.Context) error {
	for s.err == nil && len(s.inflight) > 0 {
		if err := s.waitHead(ctx); err != nil {
			return err
		}
	}
	return s.err
}

// Next returns, for the oldest text in flight, a channel that is closed
// when the server answers it (or its next part, for a text sent in
// several) and the time its acknowledgement is due (when it was sent,
// plus Options.AckWait); nil and the zero time when no text is in
// flight or the Sender stopped. With Check, it lets a caller that waits
// for something else (more input) notice a failure as soon as it
// happens, instead of at the next Send or Flush.
func (s *Sender) Next() (answered <-chan struct{}, due time.Time) {
	if s.err != nil || len(s.inflight) == 0 {
		return nil, time.Time{}
	}
	head := s.inflight[0]
	return head.next(), head.due()
}

// Check collects the answered texts at the head of the window without
// blocking, and returns the error of the first that failed; when the
// oldest text still in flight is unanswered at now, past its due time,
// it fails with ErrUnconfirmed. The Sender then stays failed, as after
// Send.
func (s *Sender) Check(now time.Time) error {
	if s.err != nil {
		return s.err
	}
	if err := s.reap(); err != nil {
		return err
	}
	if len(s.inflight) > 0 && !now.Before(s.inflight[0].due()) {
		s.err = ErrUnconfirmed
	}
	return s.err
}

// Confirmed returns how many texts the server has acknowledged.
func (s *Sender) Confirmed() int { return s.confirmed }

// Unconfirmed stops the Sender and returns the texts sent but not (or
// not yet) acknowledged, in order; those already acknowledged are added
// to Confirmed. Later calls of Send fail.
func (s *Sender) Unconfirmed() []string {
	var out []string
	for _, d := range s.inflight {
		if d.settled() && d.Wait(context.Background()) == nil {
			s.confirmed++
			continue
		}
		out = append(out, d.Text)
	}
	s.inflight = nil
	if s.err == nil {
		s.err = errSenderStopped
	}
	return out
}

// reap collects the answered texts at the head of the window without
// blocking.
func (s *Sender) reap() error {
	for len(s.inflight) > 0 && s.inflight[0].settled() {
		if err := s.waitHead(context.Background()); err != nil {
			return err
		}
	}
	return nil
}

// waitHead waits for the oldest text in flight.
func (s *Sender) waitHead(ctx context.Context) error {
	if err := s.inflight[0].Wait(ctx); err != nil {
		s.err = err
		return err
	}
	s.inflight = s.inflight[1:]
	s.confirmed++
	return nil
}
