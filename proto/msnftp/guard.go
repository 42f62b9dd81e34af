package msnftp

import (
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// past is a deadline long gone: setting it unblocks pending I/O at once.
var past = time.Unix(1, 0)

// limit names the deadline that bounds one operation.
type limit int

const (
	limitIdle limit = iota
	limitHandshake
	limitRate
)

// guard owns the deadlines of one connection: the idle deadline refreshed
// on progress, the handshake bound, the throughput floor, and halting,
// which puts the deadlines in the past for good (when the context ends, or
// when the other goroutine of a session wants this one to stop).
type guard struct {
	conn net.Conn
	opts Options

	mu      sync.Mutex
	rHalted bool  // reads stopped
	wHalted bool  // writes stopped
	cause   error // why everything stopped: a context error or errAborted

	// Only the goroutine that runs the session's reads and writes under
	// these limits touches the fields below.
	hsEnd  time.Time // end of the handshake bound; zero in the data phase
	rate   rateFloor
	rateOn bool

	unwatch func()
}

func newGuard(conn net.Conn, opts Options) *guard {
	return &guard{
		conn:    conn,
		opts:    opts,
		hsEnd:   time.Now().Add(opts.Handshake),
		rate:    newRateFloor(opts),
		unwatch: func() {},
	}
}

// watch halts the connection when ctx ends, until unwatch is called;
// unwatch returns only when a halt already under way has finished.
func (g *guard) watch(ctx context.Context) {
	done := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(done)
		g.halt(ctx.Err())
	})
	g.unwatch = func() {
		if !stop() {
			<-done
		}
	}
}

// beginData ends the handshake bound and starts the throughput floor.
func (g *guard) beginData() {
	g.hsEnd = time.Time{}
	g.rateOn = true
	g.rate.begin(time.Now())
}

// halt stops all I/O for good, recording the first cause.
func (g *guard) halt(cause error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cause == nil {
		g.cause = cause
	}
	g.rHalted, g.wHalted = true, true
	g.conn.SetDeadline(past)
}

// haltRead stops reads.
func (g *guard) haltRead() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.rHalted = true
	g.conn.SetReadDeadline(past)
}

// haltWrite stops writes.
func (g *guard) haltWrite() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.wHalted = true
	g.conn.SetWriteDeadline(past)
}

// haltCause returns the context error (or errAborted) that halted the
// connection, or nil.
func (g *guard) haltCause() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.cause
}

// writeHalted reports whether writes are halted.
func (g *guard) writeHalted() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.wHalted
}

// setReadDeadline sets the read deadline unless reads are halted. The zero
// time means no deadline.
func (g *guard) setReadDeadline(t time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.rHalted {
		g.conn.SetReadDeadline(t)
	}
}

// setWriteDeadline sets the write deadline unless writes are halted.
func (g *guard) setWriteDeadline(t time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.wHalted {
		g.conn.SetWriteDeadline(t)
	}
}

// deadline returns the deadline of an operation starting now, and which
// limit it comes from.
func (g *guard) deadline(now time.Time) (time.Time, limit) {
	dl, lim := now.Add(g.opts.Idle), limitIdle
	if !g.hsEnd.IsZero() && g.hsEnd.Before(dl) {
		dl, lim = g.hsEnd, limitHandshake
	}
	if g.rateOn {
		if rd, ok := g.rate.deadline(); ok && rd.Before(dl) {
			dl, lim = rd, limitRate
		}
	}
	return dl, lim
}

// classify turns a deadline error into what it stands for: the context's
// error, errAborted, errInterrupted (the direction was halted), or an
// ErrTimeout error naming the limit. Other errors pass unchanged.
func (g *guard) classify(err error, lim limit, write bool) error {
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		return err
	}
	g.mu.Lock()
	cause, halted := g.cause, g.rHalted
	if write {
		halted = g.wHalted
	}
	g.mu.Unlock()
	switch {
	case cause != nil:
		return ctxError(cause)
	case halted:
		return errInterrupted
	}
	return g.stalled(lim)
}

// stalled is the ErrTimeout error of a limit.
func (g *guard) stalled(lim limit) error {
	switch lim {
	case limitHandshake:
		return failf(ErrTimeout, "handshake not finished within %v", g.opts.Handshake)
	case limitRate:
		return failf(ErrTimeout, "fewer than %d bytes moved in %v", g.rate.need, g.rate.window)
	}
	return failf(ErrTimeout, "no progress for %v", g.opts.Idle)
}

// progress counts n bytes moved in the data phase; false means the
// throughput floor was missed.
func (g *guard) progress(n int) bool {
	if !g.rateOn || n == 0 {
		return true
	}
	return g.rate.add(n, time.Now())
}

// write writes all of p under the current limits. A write that stalls
// past the idle deadline after some progress is retried with a fresh
// deadline, so a slow but steady peer is not an idle one.
func (g *guard) write(p []byte) (int, error) {
	total := 0
	for {
		dl, lim := g.deadline(time.Now())
		g.setWriteDeadline(dl)
		n, err := g.conn.Write(p[total:])
		total += n
		if !g.progress(n) {
			return total, g.stalled(limitRate)
		}
		if err == nil {
			return total, nil
		}
		if n > 0 && lim != limitHandshake && errors.Is(err, os.ErrDeadlineExceeded) && !g.writeHalted() {
			continue // progress, then a stall: a fresh deadline for the rest
		}
		return total, g.classify(err, lim, true)
	}
}

// writeFinal makes a last best-effort write (a cancel block, CCL, a BYE
// failure code) bounded by Options.finalWait, even after a halt.
func (g *guard) writeFinal(p []byte) {
	g.mu.Lock()
	g.conn.SetWriteDeadline(time.Now().Add(g.opts.finalWait()))
	g.mu.Unlock()
	g.conn.Write(p)
}

// graceRead gives a reader blocked without deadline a short time to
// deliver what the peer already sent, unless the context halted it.
func (g *guard) graceRead() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cause == nil {
		g.conn.SetReadDeadline(time.Now().Add(g.opts.finalWait()))
	}
}

// deadlineReader reads from the guarded connection, one deadline per read.
// In manual mode it only reads: someone else sets the deadlines, and
// errors come back raw; once awaitBye was called, each read gets the idle
// deadline again, within the wait's end.
type deadlineReader struct {
	g      *guard
	manual bool
	byeEnd atomic.Int64 // the end of the wait for BYE, in Unix nanoseconds; 0 before awaitBye
}

// awaitBye starts the sender's wait for BYE after the last byte, from
// another goroutine than the reader's: every read, the one under way
// included, may then wait Options.Idle for a byte, and none past end. A
// BYE that trickles in byte by byte is taken as long as it is whole by
// end.
func (r *deadlineReader) awaitBye(end time.Time) {
	r.byeEnd.Store(end.UnixNano())
	r.g.setReadDeadline(r.byeDeadline(time.Now()))
}

// byeDeadline is the deadline of a read during the wait for BYE.
func (r *deadlineReader) byeDeadline(now time.Time) time.Time {
	end := time.Unix(0, r.byeEnd.Load())
	if dl := now.Add(r.g.opts.Idle); dl.Before(end) {
		return dl
	}
	return end
}

func (r *deadlineReader) Read(p []byte) (int, error) {
	g := r.g
	if r.manual {
		if r.byeEnd.Load() != 0 {
			g.setReadDeadline(r.byeDeadline(time.Now()))
		}
		return g.conn.Read(p)
	}
	dl, lim := g.deadline(time.Now())
	g.setReadDeadline(dl)
	n, err := g.conn.Read(p)
	if !g.progress(n) {
		return n, g.stalled(limitRate)
	}
	if err != nil {
		err = g.classify(err, lim, false)
	}
	return n, err
}

// rateFloor checks a minimum throughput over consecutive windows.
type rateFloor struct {
	need   int64 // bytes each window must move; 0 when disabled
	window time.Duration
	start  time.Time
	moved  int64
}

func newRateFloor(o Options) rateFloor {
	r := rateFloor{window: o.RateWindow}
	if o.MinRate > 0 {
		need := float64(o.MinRate) * o.RateWindow.Seconds()
		r.need = int64(min(need, 1<<62))
		r.need = max(r.need, 1)
	}
	return r
}

func (r *rateFloor) begin(now time.Time) { r.start, r.moved = now, 0 }

// deadline returns the end of the current window while the window still
// lacks bytes.
func (r *rateFloor) deadline() (time.Time, bool) {
	if r.need == 0 || r.moved >= r.need {
		return time.Time{}, false
	}
	return r.start.Add(r.window), true
}

// add counts n bytes; when the window is over it starts the next one and
// reports whether the finished window moved enough.
func (r *rateFloor) add(n int, now time.Time) bool {
	r.moved += int64(n)
	if now.Sub(r.start) < r.window {
		return true
	}
	ok := r.moved >= r.need
	r.begin(now)
	return ok
}
