package engine

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// WriteTimeout bounds one write of commands to the server when the
// caller's context allows longer.
const WriteTimeout = 15 * time.Second

// lock takes the write lock, waiting at most until ctx ends.
func (c *Conn) lock(ctx context.Context) error {
	select {
	case c.wlock <- struct{}{}:
		return nil
	default:
	}
	select {
	case c.wlock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// unlock releases the write lock.
func (c *Conn) unlock() { <-c.wlock }

// write puts the commands on the wire in one flush, under the write lock.
// Waiting for the lock (behind a stalled write) ends with ctx; the write
// ends by the earlier of ctx's deadline and WriteTimeout, and when ctx is
// cancelled. Nothing is sent when ctx has ended before the write starts;
// a write that failed part way leaves the stream out of step, so it fails
// the connection: with ctx's cause when ctx ended, with ErrServerSilent
// when WriteTimeout ran out.
func (c *Conn) write(ctx context.Context, cmds []*Command) error {
	if err := c.lock(ctx); err != nil {
		return err
	}
	defer c.unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	deadline := time.Now().Add(WriteTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	_ = c.nc.SetWriteDeadline(deadline)
	aborted := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(aborted)
		_ = c.nc.SetWriteDeadline(time.Now())
	})
	defer func() {
		if !stop() {
			<-aborted
		}
	}()
	for _, cmd := range cmds {
		c.debug.sent(cmd)
		c.bw.Write(cmd.encode()) // a failure is sticky: Flush reports it
	}
	if err := c.bw.Flush(); err != nil {
		var ne net.Error
		switch {
		case ctx.Err() != nil:
			err = fmt.Errorf("proto: write: %w", context.Cause(ctx))
		case errors.As(err, &ne) && ne.Timeout():
			// WriteTimeout ran out: the server stopped reading.
			err = fmt.Errorf("%w: a write did not complete within %v", ErrServerSilent, WriteTimeout)
		default:
			err = fmt.Errorf("proto: write: %w", err)
		}
		c.Fail(err)
		return err
	}
	return nil
}
