package engine

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
)

// readLoop is the connection's only reader. It exits when a read fails,
// after failing every pending call.
func (c *Conn) readLoop() {
	var err error
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("proto: panic reading from server: %v", v)
		}
		c.Fail(err)
		close(c.done)
	}()
	for {
		cmd, line, rerr := c.lr.Read()
		var bad *BadLine
		if errors.As(rerr, &bad) {
			c.debug.received(line, nil)
			c.failAnswered(bad)
			if c.cfg.Malformed != nil {
				c.cfg.Malformed(bad.err)
			}
			continue
		}
		if rerr != nil {
			err = readError(rerr)
			return
		}
		c.debug.received(line, cmd)
		c.dispatch(cmd)
	}
}

// readError turns a read failure into the connection's sticky error. A
// connection cut in the middle of a line or payload is the network
// breaking, as a reset is, and a line that stalled part way is a server
// that stopped answering: both are temporary failures, not protocol
// errors.
func readError(err error) error {
	var ne net.Error
	switch {
	case errors.Is(err, io.EOF):
		return fmt.Errorf("%w by server", ErrClosed)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return ErrCutOff
	case errors.Is(err, net.ErrClosed):
		return ErrClosed
	case errors.Is(err, ErrProtocol):
		return err
	case errors.As(err, &ne) && ne.Timeout():
		return fmt.Errorf("%w: a line stopped part way and did not end within %v", ErrServerSilent, StallTimeout)
	}
	return fmt.Errorf("proto: read: %w", err)
}

// failAnswered fails the calls and waiters a malformed line may have
// answered; see Conn for the rule.
func (c *Conn) failAnswered(bad *BadLine) {
	c.mu.Lock()
	var failed []*Call
	switch {
	case bad.HasTrID:
		if call, ok := c.pending[bad.TrID]; ok {
			delete(c.pending, bad.TrID)
			failed = append(failed, call)
		}
	default:
		probe := &Command{Verb: bad.Verb}
		for id, call := range c.pending {
			probe.TrID = id
			if bad.Verb == "" || call.ends(probe) {
				delete(c.pending, id)
				failed = append(failed, call)
			}
		}
		for key, w := range c.waiters {
			if bad.Verb == "" || key == bad.Verb || strings.HasPrefix(key, bad.Verb+":") {
				delete(c.waiters, key)
				failed = append(failed, w)
			}
		}
	}
	for _, call := range failed {
		call.finish(nil, bad.err)
	}
	c.mu.Unlock()
}

// dispatch routes one line: to the interceptor, to the call that waits
// for its TrID, or to the unclaimed path.
func (c *Conn) dispatch(cmd *Command) {
	if c.cfg.Intercept != nil && c.cfg.Intercept(cmd) {
		return
	}
	if cmd.HasTrID && c.complete(cmd) {
		return
	}
	if c.cfg.Unclaimed != nil {
		c.cfg.Unclaimed(cmd)
	}
}

// complete finishes the pending call that cmd answers, if any. An error
// code becomes a *ServerError.
func (c *Conn) complete(cmd *Command) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	call, ok := c.pending[cmd.TrID]
	if !ok || !call.ends(cmd) {
		return false
	}
	delete(c.pending, cmd.TrID)
	if IsErrorCode(cmd.Verb) {
		code := 0
		fmt.Sscanf(cmd.Verb, "%d", &code)
		call.finish(nil, &ServerError{Code: code, TrID: cmd.TrID})
		return true
	}
	call.finish(cmd, nil)
	return true
}
