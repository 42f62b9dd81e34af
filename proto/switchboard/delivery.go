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
	wait := d.ackWait
	if wait <= 0 {
		wait = AckTimeout
	}
	ctx, cancel := context.WithTimeoutCause(ctx, wait, ErrUnconfirmed)
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
	for _, call := range d.calls {
		select {
		case <-call.Done():
			if call.Err != nil || call.Reply.Verb == "NAK" || unreceived(call) != nil {
				return true
			}
		default:
			return false
		}
	}
	return true
}
