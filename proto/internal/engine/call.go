package engine

import "context"

// Call is one request in flight, in the manner of net/rpc: Go starts it,
// Wait collects the reply. A keyed waiter (Expect) is a Call without a
// command.
type Call struct {
	// Cmd is the request as sent; nil for a keyed waiter.
	Cmd *Command
	// Reply is the line that completed the call; nil on error.
	Reply *Command
	// Err is the call's error once done.
	Err error
	// Tag is the caller's own data about the call, set before the call
	// is issued; the engine never reads it.
	Tag any

	// accept decides whether a line carrying this call's TrID completes
	// it; nil means "the reply verb equals the request verb". It runs on
	// the reader goroutine and must not have side effects.
	accept func(*Command) bool
	done   chan struct{}
	conn   *Conn
}

// NewCall prepares a call of cmd on c, to be sent with Issue. accept
// decides which line carrying the call's TrID completes it (an error
// reply always does); nil means a line of the request's verb. accept runs
// on the reader goroutine and must be a pure function of the line.
func (c *Conn) NewCall(cmd *Command, accept func(*Command) bool) *Call {
	return &Call{Cmd: cmd, accept: accept, done: make(chan struct{}), conn: c}
}

// Done is closed when the call has completed.
func (call *Call) Done() <-chan struct{} { return call.done }

// Wait blocks until the call completes, ctx ends, or the connection
// dies, and returns the reply. When ctx ends first the call is dropped:
// its reply, should it come, goes the way of unclaimed lines.
func (call *Call) Wait(ctx context.Context) (*Command, error) {
	select {
	case <-call.done:
		return call.Reply, call.Err
	case <-ctx.Done():
		call.conn.Forget(call)
		return nil, ctx.Err()
	}
}

// ends reports whether cmd, which carries the call's TrID, completes it.
func (call *Call) ends(cmd *Command) bool {
	if IsErrorCode(cmd.Verb) {
		return true
	}
	if call.accept != nil {
		return call.accept(cmd)
	}
	return cmd.Verb == call.Cmd.Verb
}

// finish records the outcome; the caller holds the connection lock and
// has removed the call from its table, so it runs exactly once.
func (call *Call) finish(reply *Command, err error) {
	call.Reply, call.Err = reply, err
	close(call.done)
}
