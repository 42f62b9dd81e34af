package msnftp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
)

// Send serves one transfer on ln. It accepts connections until one
// authenticates, at most MaxAttempts of them: a connection with a wrong
// handle or cookie, or a stranger that sends garbage or nothing, is closed
// while the others go on (handshakes run side by side, each bounded by
// Options.Handshake). Then it sends exactly t.Size bytes read from src
// (never more, even if src has more; ErrSourceShort if it has fewer) and
// waits for BYE. It returns nil only when the receiver said BYE 16777989.
//
// ctx bounds the wait for a connection: when it ends first, Send returns
// ErrAuth if a connection failed to authenticate, else an error matching
// ErrTimeout (for a deadline) or ctx's error. Once the data flows, a
// cancelled ctx makes Send write the cancel block and return an error
// matching ctx's error. If the receiver sends CCL the error is
// ErrCancelled.
//
// Send closes ln before returning, on every path, and as soon as one
// connection has passed USR.
func Send(ctx context.Context, ln net.Listener, t Transfer, src io.Reader, opts Options) error {
	l := &onceListener{ln: ln}
	defer l.close()
	if err := t.check(); err != nil {
		return err
	}
	opts = opts.withDefaults()
	s, err := acceptSender(ctx, l, t, opts)
	if err != nil {
		return err
	}
	defer s.g.conn.Close()
	s.g.watch(ctx)
	defer s.g.unwatch()
	return s.transfer(src)
}

// handshakeResult is the outcome of one accepted connection's handshake.
type handshakeResult struct {
	s   *sender
	err error
}

// acceptSender accepts up to MaxAttempts connections and runs their
// handshakes concurrently. It returns the first sender that authenticated,
// after closing ln, aborting and closing every other connection and
// waiting for every goroutine it started.
func acceptSender(ctx context.Context, l *onceListener, t Transfer, opts Options) (*sender, error) {
	conns := make(chan net.Conn)
	quit := make(chan struct{})
	var acceptErr error // written by the acceptor before it closes conns
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(conns)
		defer l.close() // no more connections will be taken
		for range MaxAttempts {
			c, err := l.ln.Accept()
			if err != nil {
				if !l.closedHere.Load() {
					acceptErr = err
				}
				return
			}
			select {
			case conns <- c:
			case <-quit:
				c.Close()
				return
			}
		}
	}()

	results := make(chan handshakeResult, MaxAttempts)
	live := map[*sender]bool{}
	stop := func(cause error) {
		l.close()
		close(quit)
		for s := range live {
			s.g.halt(cause)
		}
		wg.Wait()
		for len(live) > 0 {
			r := <-results
			delete(live, r.s)
			if r.err == nil {
				r.s.g.conn.Close()
			}
		}
	}

	var failures, badAuth int
	var last, authedErr error
	in := conns
	for in != nil || len(live) > 0 {
		select {
		case c, ok := <-in:
			if !ok {
				in = nil
				continue
			}
			s := newSender(c, t, opts)
			s.onAuth = l.close
			live[s] = true
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := s.handshake()
				if err != nil {
					c.Close()
				}
				results <- handshakeResult{s, err}
			}()
		case r := <-results:
			delete(live, r.s)
			if r.err == nil {
				stop(errAborted)
				return r.s, nil
			}
			failures++
			last = r.err
			switch {
			case r.s.authed:
				authedErr = r.err // the receiver itself failed after USR
			case errors.Is(r.err, ErrAuth):
				badAuth++
			}
		case <-ctx.Done():
			stop(ctx.Err())
			return nil, waitEnded(ctx.Err(), badAuth)
		}
	}
	stop(errAborted)
	switch {
	case authedErr != nil:
		return nil, authedErr
	case failures == 0 && acceptErr != nil:
		return nil, wrap("accepting", acceptErr)
	case badAuth > 0:
		return nil, fmt.Errorf("msnftp: waiting for the receiver: %w", failf(ErrAuth, "no connection authenticated (%d of %d had a wrong handle or cookie)", badAuth, failures))
	case acceptErr != nil:
		return nil, fmt.Errorf("msnftp: accepting after %d failed connections: %w", failures, acceptErr)
	}
	return nil, fmt.Errorf("%w (no connection authenticated after %d attempts)", last, failures)
}

// onceListener closes a listener once, from any goroutine, and remembers
// that it did.
type onceListener struct {
	ln         net.Listener
	once       sync.Once
	closedHere atomic.Bool
}

func (l *onceListener) close() {
	l.once.Do(func() {
		l.closedHere.Store(true)
		l.ln.Close()
	})
}

// waitEnded is the error of a context that ended while Send waited for an
// authenticated connection: a cancellation stays itself, a deadline is
// ErrAuth after a bad handle or cookie, else ErrTimeout.
func waitEnded(cerr error, badAuth int) error {
	const op = "waiting for the receiver"
	switch {
	case !errors.Is(cerr, context.DeadlineExceeded):
		return wrap(op, cerr)
	case badAuth > 0:
		e := kindf(ErrAuth, "%d connection(s) had a wrong handle or cookie, then the wait ended", badAuth)
		e.cause = cerr
		return wrap(op, e)
	}
	return wrap(op, ctxError(cerr))
}
