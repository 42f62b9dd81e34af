package msnftp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"
)

// SendConn runs the sender side on an already connected conn (Send uses
// it after accepting; it also serves when the sender is the side that
// connects): it waits for VER and USR, checks the handle and the cookie
// (a mismatch is ErrAuth), announces t.Size, waits for TFR, sends exactly
// t.Size bytes read from src, and waits for BYE. It returns nil only when
// the receiver said BYE 16777989. It closes conn before returning.
func SendConn(ctx context.Context, conn net.Conn, t Transfer, src io.Reader, opts Options) error {
	defer conn.Close()
	if err := t.check(); err != nil {
		return err
	}
	s := newSender(conn, t, opts.withDefaults())
	s.g.watch(ctx)
	defer s.g.unwatch()
	if err := s.handshake(); err != nil {
		return err
	}
	return s.transfer(src)
}

// sender is the sending side of one connection.
type sender struct {
	g  *guard
	rd *deadlineReader
	br *bufio.Reader
	t  Transfer

	onAuth func() // runs once USR has been accepted (Send closes its listener)
	authed bool   // USR was accepted
}

func newSender(conn net.Conn, t Transfer, opts Options) *sender {
	g := newGuard(conn, opts)
	rd := &deadlineReader{g: g}
	return &sender{g: g, rd: rd, br: bufio.NewReaderSize(rd, lineBufSize), t: t}
}

// handshake answers VER, checks USR, announces FIL and waits for TFR.
// Lines from the receiver are never quoted past their verb: USR carries
// the cookie.
func (s *sender) handshake() error {
	f, err := s.readFields("reading VER")
	if err != nil {
		return err
	}
	if !isVer(f) {
		return wrap("reading VER", failf(ErrProtocol, "expected VER MSNFTP, got %s", verb(f)))
	}
	if err := s.send("sending VER", "VER MSNFTP\r\n"); err != nil {
		return err
	}
	if f, err = s.readFields("reading USR"); err != nil {
		return err
	}
	if len(f) == 0 || f[0] != "USR" {
		return wrap("reading USR", failf(ErrProtocol, "expected USR, got %s", verb(f)))
	}
	if len(f) != 3 {
		return wrap("reading USR", failf(ErrProtocol, "USR with %d fields instead of 3", len(f)))
	}
	handleOK := strings.EqualFold(f[1], s.t.Handle)
	cookieOK := cookieMatches(f[2], s.t.Cookie)
	switch {
	case !handleOK:
		// Not even the handle is repeated: a confused peer may have sent
		// the fields the other way round.
		return wrap("checking USR", failf(ErrAuth, "wrong handle"))
	case !cookieOK:
		return wrap("checking USR", failf(ErrAuth, "wrong cookie"))
	}
	s.authed = true
	if s.onAuth != nil {
		s.onAuth()
	}
	if err := s.send("sending FIL", fmt.Sprintf("FIL %d\r\n", s.t.Size)); err != nil {
		return err
	}
	if f, err = s.readFields("reading TFR"); err != nil {
		return err
	}
	switch {
	case len(f) == 1 && f[0] == "TFR":
		return nil
	case len(f) == 1 && f[0] == "CCL":
		return wrap("reading TFR", failf(ErrCancelled, "the receiver sent CCL instead of TFR"))
	}
	return wrap("reading TFR", failf(ErrProtocol, "expected TFR, got %s", verb(f)))
}

// readFields reads one line of the handshake and splits it; a
// connection that ends or fails is an ErrBroken error here, since no
// data has moved yet.
func (s *sender) readFields(op string) ([]string, error) {
	line, err := readLine(s.br)
	if err != nil {
		return nil, wrap(op, s.g.lost(err, "the receiver"))
	}
	f, err := fields(line)
	if err != nil {
		return nil, wrap(op, err)
	}
	return f, nil
}

// send writes a line of the handshake under the current limits.
func (s *sender) send(op, line string) error {
	if _, err := s.g.write([]byte(line)); err != nil {
		return wrap(op, s.g.lost(err, "the receiver"))
	}
	return nil
}

// transfer runs the data phase: it writes the blocks while a second
// goroutine watches the receiver's side for CCL, BYE or the end of the
// connection, then waits for BYE.
func (s *sender) transfer(src io.Reader) error {
	g := s.g
	g.beginData()
	s.rd.manual = true
	g.setReadDeadline(time.Time{}) // the watcher waits as long as the data flows
	peer := make(chan peerResult, 1)
	go func() { peer <- s.watchPeer() }()

	out := s.writeBlocks(src)
	return s.conclude(peer, out)
}

// sendOutcome is what writeBlocks achieved.
type sendOutcome struct {
	sent      int64  // source bytes written to the connection
	tail      []byte // the unwritten rest of a block cut by a failed write
	err       error  // nil when every byte went out
	cancelled bool   // the cancel block went out with the last write
}

// writeBlocks reads the source into a batch buffer, frames it in place
// and writes each batch with one write. It never reads past t.Size; a
// source that ends early, or fails, gets a cancel block.
func (s *sender) writeBlocks(src io.Reader) sendOutcome {
	var out sendOutcome
	size := s.t.Size
	lr := io.LimitReader(src, size)
	batch := newBatch()
	for out.sent < size {
		want := int(min(size-out.sent, batchBlocks*MaxBlock))
		k, rerr := io.ReadFull(lr, rawArea(batch, want))
		framed := frame(batch, k)
		data := len(framed)
		if rerr != nil {
			framed = append(framed, cancelBlock...)
		}
		n, werr := s.g.write(framed)
		moved := payloadIn(min(n, data))
		out.sent += moved
		if s.g.opts.Progress != nil && moved > 0 {
			s.g.opts.Progress(moved)
		}
		if werr != nil {
			out.tail, out.err = blockTail(framed[:data], n), werr
			return out
		}
		switch {
		case rerr == io.EOF || rerr == io.ErrUnexpectedEOF:
			out.err, out.cancelled = failf(ErrSourceShort, "the source ended after %d of %d bytes", out.sent, size), true
			return out
		case rerr != nil:
			out.err, out.cancelled = &localError{op: "reading the source", err: rerr}, true
			return out
		}
	}
	return out
}

// conclude decides the outcome once the writing has stopped, and makes
// sure the watcher goroutine has exited.
func (s *sender) conclude(peer chan peerResult, out sendOutcome) error {
	g, size := s.g, s.t.Size
	var local *localError
	switch {
	case out.err == nil:
		s.rd.awaitBye(time.Now().Add(g.opts.Handshake))
		return s.confirm(<-peer)
	case out.cancelled:
		g.haltRead()
		<-peer
		if errors.As(out.err, &local) {
			return fmt.Errorf("msnftp: %s (%d of %d bytes sent): %w", local.op, out.sent, size, local.err)
		}
		return wrap("sending", out.err)
	case g.haltCause() != nil:
		g.haltRead()
		<-peer // first, for the watcher halts writes when it stops
		g.writeFinal(append(append([]byte(nil), out.tail...), cancelBlock...))
		return wrap(fmt.Sprintf("sending (%d of %d bytes)", out.sent, size), ctxError(g.haltCause()))
	case errors.Is(out.err, errInterrupted):
		return s.early(<-peer, out.sent)
	}
	// The connection broke or stalled: let the watcher deliver what the
	// receiver already said (CCL before closing, a BYE failure code).
	g.graceRead()
	r := <-peer
	if r.decisive() {
		return s.early(r, out.sent)
	}
	if errors.Is(out.err, ErrTimeout) {
		return wrap(fmt.Sprintf("sending (%d of %d bytes)", out.sent, size), out.err)
	}
	return &IncompleteError{Got: out.sent, Want: size}
}

// confirm is the outcome after every byte went out.
func (s *sender) confirm(r peerResult) error {
	switch {
	case r.bye && r.code == ByeSuccess:
		return nil
	case r.bye:
		return &ByeError{Code: r.code}
	case r.ccl:
		return wrap("waiting for BYE", failf(ErrCancelled, "the receiver sent CCL after the last byte"))
	case s.g.haltCause() != nil:
		return wrap("waiting for BYE", ctxError(s.g.haltCause()))
	case errors.Is(r.err, ErrProtocol):
		return wrap("waiting for BYE", r.err)
	case errors.Is(r.err, os.ErrDeadlineExceeded):
		return wrap("waiting for BYE", lateByeError{kindf(ErrUnconfirmed,
			"no BYE: nothing for %v, or not whole within %v of the last byte", s.g.opts.Idle, s.g.opts.Handshake)})
	}
	return wrap("waiting for BYE", failf(ErrUnconfirmed, "the receiver closed the connection without BYE"))
}

// early is the outcome when the receiver spoke or left before every byte
// went out.
func (s *sender) early(r peerResult, sent int64) error {
	size := s.t.Size
	switch {
	case r.bye && r.code == ByeSuccess:
		return wrap("sending", failf(ErrProtocol, "BYE %d after %d of %d bytes", r.code, sent, size))
	case r.bye:
		return &ByeError{Code: r.code}
	case r.ccl:
		return wrap("sending", failf(ErrCancelled, "the receiver sent CCL after %d of %d bytes", sent, size))
	case errors.Is(r.err, ErrProtocol):
		return wrap(fmt.Sprintf("sending (%d of %d bytes)", sent, size), r.err)
	}
	return &IncompleteError{Got: sent, Want: size}
}

// peerResult is what the receiver said during the data phase.
type peerResult struct {
	bye  bool
	code uint32
	ccl  bool
	err  error // a read error, raw, or an ErrProtocol error
}

// decisive reports whether the receiver said something that explains the
// end of the transfer.
func (r peerResult) decisive() bool { return r.bye || r.ccl || errors.Is(r.err, ErrProtocol) }

// maxEmptyLines bounds the empty lines tolerated from the receiver.
const maxEmptyLines = 100

// watchPeer reads the receiver's side during and after the data phase
// until BYE, CCL, a protocol error or the end of the connection, then
// stops any pending write.
func (s *sender) watchPeer() peerResult {
	r := s.nextPeerLine()
	s.g.haltWrite()
	return r
}

func (s *sender) nextPeerLine() peerResult {
	for empty := 0; ; {
		line, err := readLine(s.br)
		if err != nil {
			return peerResult{err: err}
		}
		f, err := fields(line)
		if err != nil {
			return peerResult{err: err}
		}
		switch {
		case len(f) == 0:
			if empty++; empty > maxEmptyLines {
				return peerResult{err: failf(ErrProtocol, "more than %d empty lines", maxEmptyLines)}
			}
			continue
		case f[0] == "BYE" && len(f) == 2:
			code, ok := parseCode(f[1])
			if !ok {
				return peerResult{err: failf(ErrProtocol, "malformed BYE code %s", quote(f[1]))}
			}
			return peerResult{bye: true, code: code}
		case f[0] == "CCL" && len(f) == 1:
			return peerResult{ccl: true}
		}
		return peerResult{err: failf(ErrProtocol, "unexpected %s from the receiver during the transfer", verb(f))}
	}
}
