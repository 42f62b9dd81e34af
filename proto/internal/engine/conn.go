package engine

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"
)

// WriteTimeout bounds one write of commands to the server when the
// caller's context allows longer.
const WriteTimeout = 15 * time.Second

// GoodbyeTimeout bounds the write of a connection's goodbye (Config.Goodbye,
// SayGoodbye), so that leaving a server that does not read never holds up
// the exit for long. It is a variable so that tests can shorten it.
var GoodbyeTimeout = 2 * time.Second

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
