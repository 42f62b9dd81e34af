package proto

import "context"

// Call is one request in flight, in the manner of net/rpc: Go starts it,
// Wait collects the reply.
type Call struct {
	// Cmd is the request as sent.
	Cmd *Command
	// Reply is the line that completed the call; nil on error.
	Reply *Command
	// Err is the call's error once done.
	Err error

	// accept decides whether a line carrying this call's TrID completes
	// it; nil means "the reply verb equals the request verb".
	accept func(*Command) bool
	done   chan struct{}
	conn   *conn
}

func newCall(c *conn, cmd *Command) *Call {
	return &Call{Cmd: cmd, done: make(chan struct{}), conn: c}
}

// Done is closed when the call has completed.
func (call *Call) Done() <-chan struct{} { return call.done }

// Wait blocks until the call completes, ctx ends, or the connection
// dies, and returns the reply.
func (call *Call) Wait(ctx context.Context) (*Command, error) {
	select {
	case <-call.done:
		return call.Reply, call.Err
	case <-ctx.Done():
		call.conn.forget(call)
		return nil, ctx.Err()
	}
}

// ends reports whether cmd, which carries the call's TrID, completes it.
func (call *Call) ends(cmd *Command) bool {
	if isErrorCode(cmd.Verb) {
		return true
	}
	if call.accept != nil {
		return call.accept(cmd)
	}
	return cmd.Verb == call.Cmd.Verb
}

// finish records the outcome; the caller holds the connection lock and
// has removed the call from the pending table, so it runs exactly once.
func (call *Call) finish(reply *Command, err error) {
	call.Reply, call.Err = reply, err
	close(call.done)
}
