package switchboard

import (
	"context"
	"errors"
	"time"

	"msn/proto/internal/engine"
)

// Delivery is a message (or the parts of a long text) sent with ack mode
// A whose acknowledgement may still be on its way.
type Delivery struct {
	// Text is the text given to GoText; "" for Go.
	Text  string
	calls []*engine.Call
	err   error
	// ackWait bounds Wait; zero means AckTimeout.
	ackWait time.Duration
	// sent is when the parts were handed to the connection.
	sent time.Time
}

// Wait blocks until the server has acknowledged every part (nil), refused
// one (*NAKError, matching ErrNotDelivered), acknowledged one after
// everyone it was sent to had left (*UnreceivedError, matching
// ErrNotDelivered), stayed silent for Options.AckWait
// (ErrUnconfirmed), the connection ended (its error), or ctx ended. After
// a context error the outcome is lost: the message counts as unconfirmed.
func (d *Delivery) Wait(ctx context.Context) error {
	if d.err != nil {
		return d.err
	}
	ctx, cancel := context.WithTimeoutCause(ctx, d.wait(), ErrUnconfirmed)
	defer cancel()
	for _, call := range d.calls {
		reply, err := call.Wait(ctx)
		if err != nil {
			if ctx.Err() != nil && errors.Is(context.Cause(ctx), ErrUnconfirmed) {
				return ErrUnconfirmed
			}
			return err
		}
		if reply.Verb == "NAK" {
			return &NAKError{TrID: reply.TrID}
		}
		if err := unreceived(call); err != nil {
			return err
		}
	}
	return nil
}

// settled reports, without blocking, whether Wait would return at once
// (every part answered, or one failed).
func (d *Delivery) settled() bool {
	if d.err != nil {
		return true
	}
	select {
	case <-d.next():
		return true
	default:
		return false
	}
}

// wait is how long the acknowledgement may take.
func (d *Delivery) wait() time.Duration {
	if d.ackWait <= 0 {
		return AckTimeout
	}
	return d.ackWait
}

// due is when the acknowledgement of every part is due: the wait after
// the parts were sent.
func (d *Delivery) due() time.Time { return d.sent.Add(d.wait()) }

// next returns a channel closed once the first unanswered part is
// answered; a closed one when every part is answered or one failed.
func (d *Delivery) next() <-chan struct{} {
	for _, call := range d.calls {
		select {
		case <-call.Done():
			if call.Err != nil || call.Reply.Verb == "NAK" || unreceived(call) != nil {
				return call.Done()
			}
		default:
			return call.Done()
		}
	}
	return closedChan
}

// closedChan is a channel that is always closed.
var closedChan = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()
