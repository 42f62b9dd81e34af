package proto

import (
	"context"
	"fmt"
	"time"

	"msn/proto/internal/engine"
)

// Waits of SetStatusAndSettle.
const (
	// settleTimeout bounds the wait for the QNG that ends the ILN burst.
	settleTimeout = 5 * time.Second
	// quietWindow is how long no ILN must arrive, when the QNG does not
	// come, before the burst counts as over.
	quietWindow = 300 * time.Millisecond
)

// SetStatus changes your presence and waits for the server to confirm
// it. On MSNP8 it sends client id 0, without which revival servers
// ignore the command. The first status of a session makes the server
// send every contact's presence as Presence events with Initial set.
func (n *Notification) SetStatus(ctx context.Context, s Status) error {
	cmd, err := n.statusCommand(s)
	if err != nil {
		return err
	}
	if _, err = n.c.Call(ctx, cmd); err != nil {
		return err
	}
	n.status.Store(s)
	return nil
}

// Status returns the presence the server last confirmed, or "" before
// the first.
func (n *Notification) Status() Status {
	s, _ := n.status.Load().(Status)
	return s
}

// SetStatusAndSettle is SetStatus that also returns only once the
// server has sent the initial presence of every contact (the ILN
// burst), so that the Presence events passed to the handler by then are
// complete. CHG and PNG go out in one write; a server that answers in
// order sends QNG after the burst. If no QNG comes within a few seconds,
// the burst counts as over once no ILN has arrived for a short while.
func (n *Notification) SetStatusAndSettle(ctx context.Context, s Status) error {
	cmd, err := n.statusCommand(s)
	if err != nil {
		return err
	}
	n.installCollector() // notes when ILN lines arrive
	pong, err := n.pongWaiter(ctx)
	if err != nil {
		return err
	}
	defer n.c.Forget(pong)
	call := n.c.NewCall(cmd, nil)
	n.c.Issue(ctx, []*engine.Call{call}, &Command{Verb: "PNG"})
	if _, err := call.Wait(ctx); err != nil {
		// The QNG still comes: wait for it, so that it cannot end the
		// burst of a later status change.
		if n.c.Err() == nil {
			select {
			case <-pong.Done():
			case <-ctx.Done():
			}
		}
		return err
	}
	n.status.Store(s)
	bound := time.NewTimer(settleTimeout)
	defer bound.Stop()
	select {
	case <-pong.Done():
		return pong.Err
	case <-bound.C:
		return n.awaitQuiet(ctx)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// statusCommand builds the CHG for s in the connection's dialect.
func (n *Notification) statusCommand(s Status) (*Command, error) {
	if !s.Valid() || s == StatusOffline {
		return nil, fmt.Errorf("%w: cannot set status %q", ErrInvalidArgument, engine.EscapeForError(string(s)))
	}
	args := []string{string(s)}
	if n.protocol == MSNP8 {
		args = append(args, "0")
	}
	return &Command{Verb: "CHG", Args: args}, nil
}

// pongWaiter registers a waiter for the next QNG that answers a PNG not
// yet sent. A ping already in flight is waited out first, so its QNG
// cannot be mistaken for the new one.
func (n *Notification) pongWaiter(ctx context.Context) (*engine.Call, error) {
	return n.c.ExpectNext(ctx, keyPong)
}

// fence sends PNG and waits for its QNG: on a server that answers in
// order, every line sent before has then been dispatched.
func (n *Notification) fence(ctx context.Context) error {
	pong, err := n.pongWaiter(ctx)
	if err != nil {
		return err
	}
	if err := n.c.Send(ctx, &Command{Verb: "PNG"}); err != nil {
		n.c.Forget(pong)
		return err
	}
	_, err = pong.Wait(ctx)
	return err
}

// awaitQuiet returns once no ILN has arrived for quietWindow.
func (n *Notification) awaitQuiet(ctx context.Context) error {
	for {
		last := time.Unix(0, n.lists.lastILN.Load())
		wait := quietWindow - time.Since(last)
		if wait <= 0 {
			return nil
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-n.c.Done():
			t.Stop()
			return n.c.Err()
		}
	}
}
