package engine

import (
	"bufio"
	"context"
	"io"
	"net"
	"sync"
)

// Config says how a connection reads and routes server lines. The
// callbacks run on the reader goroutine, in wire order, and must return
// quickly.
type Config struct {
	// Dialect decides which list lines carry a TrID.
	Dialect Protocol
	// Debug receives the wire transcript, secrets redacted; nil writes
	// nothing.
	Debug io.Writer
	// Intercept sees every line first and reports whether it consumed
	// it (challenges, goodbyes).
	Intercept func(*Command) bool
	// Unclaimed receives every line that neither Intercept nor a pending
	// call claimed.
	Unclaimed func(*Command)
	// Malformed receives the error of each line that was skipped because
	// it was not well formed; the connection goes on. The calls and
	// waiters the line may have answered fail first (see Conn).
	Malformed func(error)
	// Goodbye, when set, is written (once, within GoodbyeTimeout) when
	// the connection ends by Close or by a failure on this side (a
	// protocol error, a stall), so that the server learns that the client
	// left; it is not written when the server ended the connection.
	Goodbye *Command
}

// Conn is the engine under notification and switchboard connections: one
// reader goroutine, pending calls keyed by TrID, waiters keyed by other
// values (a contact's JOI, a ping's QNG), and a write lock held for a
// whole batch of commands. Its methods are safe for concurrent use.
//
// A line the reader cannot parse never leaves a waiter waiting for it.
// When its TrID can be read, it fails the call pending under that TrID,
// if any, with the *ProtocolError. When its TrID cannot be read but its
// verb can, it fails the pending calls a line of that verb would end
// (every pending call for an error code) and the keyed waiters of that
// verb (key V or V:...). When not even the verb can be read, it fails
// every pending call and waiter. A malformed line that could have
// answered nothing is only reported (Config.Malformed).
type Conn struct {
	nc    net.Conn
	lr    *Reader
	debug *Transcript
	cfg   Config

	// wlock is the write lock, a channel so that waiting for it can end
	// with a context; goodbye is set once the goodbye was written or
	// tried.
	wlock   chan struct{}
	goodbye bool
	bw      *bufio.Writer

	mu      sync.Mutex
	lastID  uint32
	pending map[uint32]*Call
	waiters map[string]*Call
	err     error
	// closedHealthy is set when Close ended a connection that was up.
	closedHealthy bool
	done          chan struct{}
}

// New wraps nc; Start launches the reader.
func New(nc net.Conn, cfg Config) *Conn {
	return &Conn{
		nc:      nc,
		lr:      NewReader(nc, cfg.Dialect),
		bw:      bufio.NewWriter(nc),
		wlock:   make(chan struct{}, 1),
		debug:   NewTranscript(cfg.Debug, nc.RemoteAddr().String()),
		cfg:     cfg,
		pending: make(map[uint32]*Call),
		waiters: make(map[string]*Call),
		done:    make(chan struct{}),
	}
}

// Start launches the reader goroutine, which runs until the connection
// fails or is closed. It is called once, after the owner of the
// callbacks is ready for them.
func (c *Conn) Start() { go c.readLoop() }

// LocalAddr returns the local address of the connection.
func (c *Conn) LocalAddr() net.Addr { return c.nc.LocalAddr() }

// Go sends cmd, assigning it a TrID, and returns its call at once. ctx
// bounds the write, not the wait for the reply.
func (c *Conn) Go(ctx context.Context, cmd *Command) *Call { return c.GoAll(ctx, cmd)[0] }

// GoAll sends the commands in one network write, each with its own TrID,
// and returns their calls in order.
func (c *Conn) GoAll(ctx context.Context, cmds ...*Command) []*Call {
	calls := make([]*Call, len(cmds))
	for i, cmd := range cmds {
		calls[i] = c.NewCall(cmd, nil)
	}
	c.Issue(ctx, calls)
	return calls
}

// Call sends cmd and waits for its reply.
func (c *Conn) Call(ctx context.Context, cmd *Command) (*Command, error) {
	return c.Go(ctx, cmd).Wait(ctx)
}

// Issue registers the calls under fresh TrIDs and writes their commands,
// followed by extra commands that get no reply (PNG), in one network
// write. A call that cannot be sent completes with the error.
func (c *Conn) Issue(ctx context.Context, calls []*Call, extra ...*Command) {
	c.mu.Lock()
	if err := c.err; err != nil {
		c.mu.Unlock()
		for _, call := range calls {
			call.finish(nil, err)
		}
		return
	}
	cmds := make([]*Command, 0, len(calls)+len(extra))
	for _, call := range calls {
		call.Cmd.TrID, call.Cmd.HasTrID = c.nextID(), true
		c.pending[call.Cmd.TrID] = call
		cmds = append(cmds, call.Cmd)
	}
	c.mu.Unlock()
	if err := c.write(ctx, append(cmds, extra...)); err != nil {
		c.abandon(calls, err)
	}
}

// Send writes commands that expect no reply (OUT, PNG, MSG U), each with
// a TrID when it takes one, in one network write.
func (c *Conn) Send(ctx context.Context, cmds ...*Command) error {
	c.mu.Lock()
	err := c.err
	for _, cmd := range cmds {
		if cmd.HasTrID {
			cmd.TrID = c.nextID()
		}
	}
	c.mu.Unlock()
	if err != nil {
		return err
	}
	return c.write(ctx, cmds)
}

// nextID returns the next free TrID; the caller holds mu. Ids wrap at
// 2^32-1, skip 0 (the server's own) and skip ids still pending.
func (c *Conn) nextID() uint32 {
	for {
		c.lastID++
		if c.lastID == 0 {
			continue
		}
		if _, busy := c.pending[c.lastID]; !busy {
			return c.lastID
		}
	}
}

// abandon completes calls whose commands could not be sent.
func (c *Conn) abandon(calls []*Call, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, call := range calls {
		if c.pending[call.Cmd.TrID] == call {
			delete(c.pending, call.Cmd.TrID)
			call.finish(nil, err)
		}
	}
}

// Pending returns the call waiting for a reply with the given TrID, or
// nil.
func (c *Conn) Pending(trid uint32) *Call {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pending[trid]
}

// Expect registers a waiter completed by Wake for key. One waiter per
// key: a second Expect for the same key shares the outcome of the first.
func (c *Conn) Expect(key string) *Call {
	call := c.NewCall(nil, nil)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		call.finish(nil, c.err)
		return call
	}
	if old, ok := c.waiters[key]; ok {
		return old
	}
	c.waiters[key] = call
	return call
}

// ExpectNext registers a waiter for key that no earlier wait shares: a
// waiter already registered for key is waited out first (up to ctx), so
// that the line it waits for cannot be taken for the new one's.
func (c *Conn) ExpectNext(ctx context.Context, key string) (*Call, error) {
	for {
		c.mu.Lock()
		if err := c.err; err != nil {
			c.mu.Unlock()
			return nil, err
		}
		old, busy := c.waiters[key]
		if !busy {
			w := c.NewCall(nil, nil)
			c.waiters[key] = w
			c.mu.Unlock()
			return w, nil
		}
		c.mu.Unlock()
		select {
		case <-old.Done():
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Wake completes the waiter for key, if any, and reports whether there
// was one.
func (c *Conn) Wake(key string, cmd *Command, err error) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	call, ok := c.waiters[key]
	if ok {
		delete(c.waiters, key)
		call.finish(cmd, err)
	}
	return ok
}

// Forget drops a call or waiter whose caller stopped waiting. A dropped
// keyed waiter completes, so that no one who shares it waits for a line
// that will no longer wake it.
func (c *Conn) Forget(call *Call) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if call.Cmd != nil && call.Cmd.HasTrID && c.pending[call.Cmd.TrID] == call {
		delete(c.pending, call.Cmd.TrID)
	}
	for k, w := range c.waiters {
		if w == call {
			delete(c.waiters, k)
			call.finish(nil, ErrAbandoned)
		}
	}
}
