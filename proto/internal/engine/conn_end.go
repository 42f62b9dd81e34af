package engine

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// GoodbyeTimeout bounds the write of a connection's goodbye (Config.Goodbye,
// SayGoodbye), so that leaving a server that does not read never holds up
// the exit for long. It is a variable so that tests can shorten it.
var GoodbyeTimeout = 2 * time.Second

// Fail ends the connection with err (nil means ErrClosed), once: it
// closes the socket and completes every pending call and waiter with the
// first error.
func (c *Conn) Fail(err error) {
	c.fail(err, false)
}

// fail is Fail; byClose marks a Close of a connection that was up. The
// first failure fails the calls, writes the goodbye when this side ended
// the connection, and closes the socket.
func (c *Conn) fail(err error, byClose bool) {
	if err == nil {
		err = ErrClosed
	}
	c.mu.Lock()
	first := c.err == nil
	if first {
		c.err = err
		c.closedHealthy = byClose
	}
	err = c.err
	pending, waiters := c.pending, c.waiters
	c.pending, c.waiters = map[uint32]*Call{}, map[string]*Call{}
	c.mu.Unlock()
	for _, call := range pending {
		call.finish(nil, err)
	}
	for _, call := range waiters {
		call.finish(nil, err)
	}
	if !first {
		return
	}
	if c.cfg.Goodbye != nil && (byClose || !errors.Is(err, ErrClosed)) {
		c.tryGoodbye(c.cfg.Goodbye)
	}
	_ = c.nc.Close()
}

// SayGoodbye writes cmd (OUT) once per connection, whatever ctx says, and
// returns when it is written or failed: the wait for the write lock and
// the write itself are bounded by GoodbyeTimeout. A connection that has
// failed, or said goodbye already, writes nothing.
func (c *Conn) SayGoodbye(cmd *Command) error {
	ctx, cancel := context.WithTimeout(context.Background(), GoodbyeTimeout)
	defer cancel()
	if err := c.lock(ctx); err != nil {
		return err
	}
	defer c.unlock()
	return c.writeGoodbye(cmd, false)
}

// tryGoodbye writes cmd for a connection that is ending. Another write
// may hold the lock: one that has just finished lets go at once, and one
// that is stalled part way is waited for no longer than GoodbyeTimeout,
// after which the goodbye is skipped (it would be garbage after half a
// command) and closing the socket cuts the stalled write short.
func (c *Conn) tryGoodbye(cmd *Command) {
	ctx, cancel := context.WithTimeout(context.Background(), GoodbyeTimeout)
	defer cancel()
	if c.lock(ctx) != nil {
		return
	}
	defer c.unlock()
	_ = c.writeGoodbye(cmd, true)
}

// writeGoodbye writes cmd within GoodbyeTimeout, once; the caller holds
// the write lock. Unless ending, a connection that has failed writes
// nothing.
func (c *Conn) writeGoodbye(cmd *Command, ending bool) error {
	c.mu.Lock()
	said := c.goodbye
	c.goodbye = true
	err := c.err
	c.mu.Unlock()
	if said {
		return nil
	}
	if err != nil && !ending {
		return err
	}
	_ = c.nc.SetWriteDeadline(time.Now().Add(GoodbyeTimeout))
	c.debug.sent(cmd)
	c.bw.Write(cmd.encode())
	if err := c.bw.Flush(); err != nil {
		return fmt.Errorf("proto: write: %w", err)
	}
	return nil
}

// Err returns the error that ended the connection, or nil while it is up.
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Done is closed when the reader has exited.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Close closes the connection and returns after the reader has exited.
// It returns the error that ended the connection: nil when this Close
// ended a connection that was up, or when the connection ended in order
// (a goodbye or hang-up, matching ErrClosed).
func (c *Conn) Close() error {
	c.fail(ErrClosed, true)
	<-c.done
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closedHealthy || errors.Is(c.err, ErrClosed) {
		return nil
	}
	return c.err
}
