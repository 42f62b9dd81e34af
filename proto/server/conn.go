package server

import (
	"bytes"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const (
	outQueue     = 1024             // replies queued for one connection before it is dropped
	outBytes     = 8 << 20          // bytes queued for one connection before it is dropped
	writeTimeout = 10 * time.Second // deadline for one write to a client
	// signInTimeout bounds how long a connection may stay before signing
	// in (NS), joining a conversation (SB) or being referred (DS), so that
	// idle or dripping strangers do not hold connections for ever.
	signInTimeout = 60 * time.Second
)

type role int

const (
	roleNS role = iota
	roleSB
	roleDS
)

func (r role) String() string {
	return [...]string{"ns", "sb", "ds"}[r]
}

// handler is the protocol side of a connection. payload reports the length
// and the largest allowed length of the payload following a line f (n < 0:
// none; bad: close the connection). handle runs with s.mu held and returns
// false to stop reading; finish runs with s.mu held once reading stopped.
// signedIn, with s.mu held, reports whether the client has signed in (or
// joined a conversation), which lifts the sign-in deadline.
type handler interface {
	payload(f []string) (n, max int, bad bool)
	handle(f []string, payload []byte) bool
	finish()
	signedIn() bool
}

type outItem struct {
	b     []byte
	last  bool
	lines bool // b is whole lines, each logged
}

// conn is one client TCP connection: a reader goroutine (serve) and a writer
// goroutine (writeLoop) draining a bounded queue, so that nothing blocks while
// s.mu is held.
type conn struct {
	s       *Server
	nc      net.Conn
	role    role
	h       handler
	out     chan outItem
	done    chan struct{}
	wdone   chan struct{}
	once    sync.Once
	closing atomic.Bool  // the last line is queued; nothing more is sent
	queued  atomic.Int64 // bytes queued and not yet written
	room    room         // wakes senders held back by this busy queue
	heldBy  []*conn      // busy recipients to wait for before reading on; the reader's own
}

func (s *Server) newConn(nc net.Conn, r role) *conn {
	c := &conn{
		s:     s,
		nc:    nc,
		role:  r,
		out:   make(chan outItem, outQueue),
		done:  make(chan struct{}),
		wdone: make(chan struct{}),
	}
	switch r {
	case roleNS:
		c.h = &nsConn{conn: c}
	case roleSB:
		c.h = &sbConn{conn: c}
	default:
		c.h = &dsConn{conn: c}
	}
	return c
}

// send queues one line; a full queue drops the connection.
func (c *conn) send(line string) bool {
	return c.enqueue(outItem{b: []byte(line + "\r\n")})
}

// sendLines queues lines, each ending in CRLF, as one reply: however
// many there are, they take one place in the queue (and their bytes), so
// that a long contact list is not mistaken for a client that does not
// read.
func (c *conn) sendLines(lines []byte) bool {
	return c.enqueue(outItem{b: lines, lines: true})
}

// sendPayload queues a line followed by its payload.
func (c *conn) sendPayload(line string, payload []byte) bool {
	b := make([]byte, 0, len(line)+2+len(payload))
	b = append(append(append(b, line...), '\r', '\n'), payload...)
	return c.enqueue(outItem{b: b})
}

// sendLast queues a final line; the connection closes once it is written.
func (c *conn) sendLast(line string) {
	c.enqueue(outItem{b: []byte(line + "\r\n"), last: true})
}

func (c *conn) enqueue(it outItem) bool {
	if c.closing.Load() {
		return false
	}
	if it.last {
		c.closing.Store(true)
	}
	if c.queued.Add(int64(len(it.b))) > outBytes {
		c.drop()
		return false
	}
	select {
	case c.out <- it:
		return true
	default:
		c.drop()
		return false
	}
}

// drop closes a connection whose queue is full: its client does not read.
func (c *conn) drop() {
	c.closing.Store(true)
	c.shutdown()
}

// shutdown closes the socket and stops the writer; it is idempotent.
func (c *conn) shutdown() {
	c.once.Do(func() {
		close(c.done)
		c.nc.Close()
	})
}

func (c *conn) writeLoop() {
	defer c.s.wg.Done()
	defer close(c.wdone)
	for {
		select {
		case it := <-c.out:
			c.logItem(it)
			c.s.stats.linesOut(c.role, it.lineCount())
			err := c.write(it.b)
			c.queued.Add(-int64(len(it.b)))
			c.wrote()
			if err != nil || it.last {
				c.shutdown()
				return
			}
		case <-c.done:
			return
		}
	}
}

// writeChunk is the most written at once under one write deadline: a
// long reply goes out at the pace the client reads it, and a client that
// stops reading is dropped writeTimeout after it stopped.
const writeChunk = 64 << 10

// write writes b in chunks of at most writeChunk bytes, each within
// writeTimeout.
func (c *conn) write(b []byte) error {
	for len(b) > 0 {
		n := min(len(b), writeChunk)
		c.nc.SetWriteDeadline(time.Now().Add(writeTimeout))
		if _, err := c.nc.Write(b[:n]); err != nil {
			return err
		}
		b = b[n:]
	}
	return nil
}

// lineCount returns how many lines it holds: one for a line with or
// without its payload, each line for a reply of whole lines.
func (it outItem) lineCount() int64 {
	if !it.lines {
		return 1
	}
	return int64(bytes.Count(it.b, []byte("\r\n")))
}

// logItem writes a queued reply to the wire log: its first line, or
// every line of a reply made of lines.
func (c *conn) logItem(it outItem) {
	if c.s.cfg.Log == nil {
		return
	}
	if !it.lines {
		c.s.logWire(c, "S<", it.b)
		return
	}
	for rest := it.b; len(rest) > 0; {
		i := bytes.Index(rest, []byte("\r\n"))
		if i < 0 {
			i = len(rest) - 2
		}
		c.s.logWire(c, "S<", rest[:i+2])
		rest = rest[i+2:]
	}
}

// serve reads and dispatches lines until the client leaves, a handler stops
// or the server closes.
func (c *conn) serve() {
	defer c.s.wg.Done()
	defer c.finish()
	r := newReader(c.nc)
	guarded := true
	c.nc.SetReadDeadline(time.Now().Add(c.s.signInTimeout))
	for {
		line, err := r.line()
		if err != nil {
			return
		}
		c.s.stats.lineIn(c.role)
		f := strings.Fields(line)
		c.s.logLine(c, f)
		if len(f) == 0 {
			return // an empty line is a protocol error
		}
		var payload []byte
		n, max, bad := c.h.payload(f)
		if bad {
			return
		}
		if n >= 0 {
			if payload, err = r.payload(n, max); err != nil {
				return
			}
		}
		c.s.mu.Lock()
		ok := !c.closing.Load() && c.h.handle(f, payload)
		in := ok && guarded && c.h.signedIn()
		c.s.mu.Unlock()
		if !ok || c.closing.Load() {
			return
		}
		if in {
			guarded = false
			c.nc.SetReadDeadline(time.Time{})
		}
		c.waitForRoom()
	}
}

func (c *conn) finish() {
	c.s.mu.Lock()
	c.h.finish()
	delete(c.s.conns, c)
	c.s.mu.Unlock()
	if c.closing.Load() {
		<-c.wdone // the writer closes after the last line
	}
	c.shutdown()
}

// errLine queues "<code> <trid>".
func (c *conn) errLine(code int, trid string) {
	c.send(strconv.Itoa(code) + " " + trid)
}

// payloadLen parses the length field of a payload command.
func payloadLen(f []string, idx, max int) (n, m int, bad bool) {
	if len(f) != idx+1 {
		return 0, 0, true
	}
	v, err := strconv.Atoi(f[idx])
	if err != nil || v < 0 || v > max {
		return 0, 0, true
	}
	return v, max, false
}
