package proto

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// writeTimeout bounds one write of commands to the server.
const writeTimeout = 15 * time.Second

// conn is the engine shared by notification and switchboard connections:
// one reader goroutine, pending calls keyed by TrID, waiters keyed by
// other values (a contact's JOI, a ping's QNG), and a write lock held for
// a whole batch of commands.
type conn struct {
	nc      net.Conn
	lr      *lineReader
	debug   *transcript
	handler func(Event)
	// intercept sees every line before dispatch and reports whether it
	// consumed it; it runs on the reader goroutine.
	intercept func(*Command) bool
	// event turns an untagged or unclaimed line into an Event, or nil.
	event func(*Command) Event
	// collector, while set, sees every line no call claimed before the
	// event path does, and reports whether it consumed it (a SYN list
	// stream). Guarded by mu.
	collector func(*Command) bool

	wmu sync.Mutex
	bw  *bufio.Writer

	mu      sync.Mutex
	lastID  uint32
	pending map[uint32]*Call
	waiters map[string]*Call
	err     error
	done    chan struct{}
}

// newConn wraps nc. start must be called once the callbacks are set.
func newConn(nc net.Conn, opts Options) *conn {
	return &conn{
		nc:      nc,
		lr:      newLineReader(nc),
		bw:      bufio.NewWriter(nc),
		debug:   newTranscript(opts.Debug, nc.RemoteAddr().String()),
		handler: opts.Handler,
		pending: make(map[uint32]*Call),
		waiters: make(map[string]*Call),
		done:    make(chan struct{}),
	}
}

// start launches the reader goroutine, which runs until the connection
// fails or is closed.
func (c *conn) start() { go c.readLoop() }

// Go sends cmd, assigning it a TrID, and returns its call at once.
func (c *conn) Go(cmd *Command) *Call { return c.GoAll(cmd)[0] }

// GoAll sends the commands in one network write, each with its own TrID,
// and returns their calls in order.
func (c *conn) GoAll(cmds ...*Command) []*Call {
	calls := make([]*Call, len(cmds))
	for i, cmd := range cmds {
		calls[i] = newCall(c, cmd)
	}
	c.issue(calls...)
	return calls
}

// issue registers the calls under fresh TrIDs and writes their commands
// in one network write. Calls are complete (accept set) before they can
// be dispatched.
func (c *conn) issue(calls ...*Call) {
	c.mu.Lock()
	err := c.err
	for _, call := range calls {
		if err != nil {
			call.finish(nil, err)
			continue
		}
		call.Cmd.TrID, call.Cmd.HasTrID = c.nextID(), true
		c.pending[call.Cmd.TrID] = call
	}
	c.mu.Unlock()
	if err != nil {
		return
	}
	cmds := make([]*Command, len(calls))
	for i, call := range calls {
		cmds[i] = call.Cmd
	}
	if werr := c.write(cmds...); werr != nil {
		c.fail(werr)
	}
}

// Call sends cmd and waits for its reply.
func (c *conn) Call(ctx context.Context, cmd *Command) (*Command, error) {
	return c.Go(cmd).Wait(ctx)
}

// nextID returns the next free TrID; the caller holds mu. Ids wrap at
// 2^32-1, skip 0 (the server's own) and skip ids still pending.
func (c *conn) nextID() uint32 {
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

// expect registers a waiter completed by the reader when a line with the
// given key arrives (see the connection's waiter keys).
func (c *conn) expect(key string) *Call {
	call := newCall(c, nil)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		call.finish(nil, c.err)
		return call
	}
	if old, ok := c.waiters[key]; ok {
		// One waiter per key: a second wait for the same thing shares
		// the outcome of the first.
		return old
	}
	c.waiters[key] = call
	return call
}

// wake completes the waiter for key, if any.
func (c *conn) wake(key string, cmd *Command, err error) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	call, ok := c.waiters[key]
	if ok {
		delete(c.waiters, key)
		call.finish(cmd, err)
	}
	return ok
}

// setCollector installs (or, with nil, removes) the collector. The
// collector runs on the reader goroutine.
func (c *conn) setCollector(f func(*Command) bool) {
	c.mu.Lock()
	c.collector = f
	c.mu.Unlock()
}

// forget drops a call whose caller stopped waiting.
func (c *conn) forget(call *Call) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if call.Cmd != nil && call.Cmd.HasTrID && c.pending[call.Cmd.TrID] == call {
		delete(c.pending, call.Cmd.TrID)
	}
	for k, w := range c.waiters {
		if w == call {
			// A keyed waiter may be shared (expect) or waited out by the
			// next one for its key (pongWaiter): complete it, so that no
			// one waits for a line that will no longer wake it.
			delete(c.waiters, k)
			call.finish(nil, errAbandoned)
		}
	}
}

// errAbandoned completes a keyed waiter that its owner stopped waiting for.
var errAbandoned = errors.New("proto: wait abandoned")

// send writes commands that expect no reply (OUT, PNG, MSG U), each with
// a TrID when it takes one.
func (c *conn) send(cmds ...*Command) error {
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
	if err := c.write(cmds...); err != nil {
		c.fail(err)
		return err
	}
	return nil
}

// write puts the commands on the wire in one flush, under the write lock
// and a write deadline. A failed write leaves the stream out of step, so
// the caller fails the connection.
func (c *conn) write(cmds ...*Command) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.nc.SetWriteDeadline(time.Now().Add(writeTimeout))
	for _, cmd := range cmds {
		c.debug.sent(cmd)
		if _, err := c.bw.Write(cmd.encode()); err != nil {
			return fmt.Errorf("proto: write: %w", err)
		}
	}
	if err := c.bw.Flush(); err != nil {
		return fmt.Errorf("proto: write: %w", err)
	}
	return nil
}

// readLoop is the connection's only reader. It exits when a read fails,
// after failing every pending call.
func (c *conn) readLoop() {
	var err error
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("proto: panic reading from server: %v", v)
		}
		c.fail(err)
		close(c.done)
	}()
	for {
		cmd, line, rerr := c.lr.readCommand()
		var bad *badLine
		if errors.As(rerr, &bad) {
			c.debug.received(line, nil)
			c.emit(&Malformed{Err: bad.err})
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

// readError turns a read failure into the connection's sticky error.
func readError(err error) error {
	switch {
	case errors.Is(err, io.EOF):
		return fmt.Errorf("%w by server", ErrClosed)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return protocolErrorf("connection closed in the middle of a command")
	case errors.Is(err, net.ErrClosed):
		return ErrClosed
	case errors.Is(err, ErrProtocol):
		return err
	}
	return fmt.Errorf("proto: read: %w", err)
}

// dispatch routes one line: to the connection's own handling, to the call
// that waits for its TrID, or to the event handler.
func (c *conn) dispatch(cmd *Command) {
	if c.intercept != nil && c.intercept(cmd) {
		return
	}
	if cmd.HasTrID {
		c.mu.Lock()
		call, ok := c.pending[cmd.TrID]
		if ok && call.ends(cmd) {
			delete(c.pending, cmd.TrID)
			var err error
			if isErrorCode(cmd.Verb) {
				code := 0
				fmt.Sscanf(cmd.Verb, "%d", &code)
				err = &ServerError{Code: code, TrID: cmd.TrID}
				cmd = nil
			}
			call.finish(cmd, err)
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
	}
	c.mu.Lock()
	collect := c.collector
	c.mu.Unlock()
	if collect != nil && collect(cmd) {
		return
	}
	if c.event != nil {
		if ev := c.event(cmd); ev != nil {
			c.emit(ev)
		}
	}
}

// emit passes an event to the handler.
func (c *conn) emit(ev Event) {
	if c.handler != nil {
		c.handler(ev)
	}
}

// fail ends the connection with err (or ErrClosed), once: it closes the
// socket and completes every pending call and waiter with the error.
func (c *conn) fail(err error) {
	if err == nil {
		err = ErrClosed
	}
	c.mu.Lock()
	if c.err == nil {
		c.err = err
	}
	err = c.err
	pending, waiters := c.pending, c.waiters
	c.pending, c.waiters = map[uint32]*Call{}, map[string]*Call{}
	c.mu.Unlock()
	_ = c.nc.Close()
	for _, call := range pending {
		call.finish(nil, err)
	}
	for _, call := range waiters {
		call.finish(nil, err)
	}
}

// Err returns the error that ended the connection, or nil while it is up.
func (c *conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Done is closed when the reader has exited.
func (c *conn) Done() <-chan struct{} { return c.done }

// Close closes the connection and returns after the reader has exited.
func (c *conn) Close() error {
	c.fail(ErrClosed)
	<-c.done
	return nil
}
