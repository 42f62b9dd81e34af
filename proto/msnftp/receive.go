package msnftp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
)

// Receive runs the receiver side on conn, already connected to the
// sender: VER, USR, a FIL that must equal t.Size (else ErrProtocol and no
// TFR), TFR, then exactly t.Size bytes into dst, Options.Commit, and BYE
// 16777989. It returns the bytes written to dst and an error that is nil
// only when all bytes were written, committed and confirmed with BYE. When
// ctx ends it sends CCL and returns an error matching ctx's error. When it
// gives up on its own it tells the sender why: BYE ByeTimedOut after a
// timeout, BYE ByeOutOfSpace when dst or Commit fails with syscall.ENOSPC,
// CCL otherwise. It closes conn before returning.
func Receive(ctx context.Context, conn net.Conn, t Transfer, dst io.Writer, opts Options) (int64, error) {
	defer conn.Close()
	if err := t.check(); err != nil {
		return 0, err
	}
	opts = opts.withDefaults()
	g := newGuard(conn, opts)
	r := &receiver{g: g, t: t, br: bufio.NewReaderSize(&deadlineReader{g: g}, recvBufSize)}
	g.watch(ctx)
	defer g.unwatch()
	if err := r.handshake(); err != nil {
		return 0, err
	}
	return r.receive(dst)
}

// receiver is the receiving side of one connection.
type receiver struct {
	g  *guard
	br *bufio.Reader
	t  Transfer
}

// handshake runs VER, USR, FIL and TFR.
func (r *receiver) handshake() error {
	if err := r.send("sending VER", "VER MSNFTP\r\n"); err != nil {
		return err
	}
	f, err := r.readFields()
	if err != nil {
		return wrap("reading VER", r.g.lost(err, "the sender"))
	}
	if !isVer(f) {
		return wrap("reading VER", failf(ErrProtocol, "%s does not offer MSNFTP", quote(strings.Join(f, " "))))
	}
	if err := r.send("sending USR", "USR "+r.t.Handle+" "+r.t.Cookie+"\r\n"); err != nil {
		return err
	}
	f, err = r.readFields()
	if err != nil {
		if errors.Is(err, io.EOF) && r.g.haltCause() == nil {
			// How a sender refuses the handle or the cookie.
			err = failf(ErrAuth, "the sender closed the connection after USR: wrong handle or cookie")
		}
		return wrap("reading FIL", r.g.lost(err, "the sender"))
	}
	if len(f) == 0 || f[0] != "FIL" {
		return wrap("reading FIL", failf(ErrProtocol, "expected FIL, got %s", quote(strings.Join(f, " "))))
	}
	size, ok := parseSize(strings.Join(f[1:], " "))
	if len(f) != 2 || !ok {
		return wrap("reading FIL", failf(ErrProtocol, "malformed FIL %s", quote(strings.Join(f[1:], " "))))
	}
	if size != r.t.Size {
		return wrap("reading FIL", failf(ErrProtocol, "FIL announces %d bytes, the invitation %d", size, r.t.Size))
	}
	return r.send("sending TFR", "TFR\r\n")
}

// readFields reads one line and splits it.
func (r *receiver) readFields() ([]string, error) {
	line, err := readLine(r.br)
	if err != nil {
		return nil, err
	}
	return fields(line)
}

// send writes a line of the handshake under the current limits.
func (r *receiver) send(op, line string) error {
	if _, err := r.g.write([]byte(line)); err != nil {
		return wrap(op, r.g.lost(err, "the sender"))
	}
	return nil
}

// receive runs the data phase and the final BYE.
func (r *receiver) receive(dst io.Writer) (int64, error) {
	g := r.g
	g.beginData()
	w := newGather(dst)
	w.progress = g.opts.Progress
	err := readBlocks(r.br, r.t.Size, w)
	if ferr := w.flush(); err == nil {
		err = ferr
	}
	g.rateOn = false
	if err == nil && g.opts.Commit != nil {
		if cerr := g.opts.Commit(); cerr != nil {
			err = &localError{op: "committing", err: cerr}
		}
	}
	if err != nil {
		return w.written, r.fail(err, w.written)
	}
	if _, err := g.write([]byte(fmt.Sprintf("BYE %d\r\n", ByeSuccess))); err != nil {
		return w.written, wrap("sending BYE", err)
	}
	return w.written, nil
}

// fail tells the sender why the transfer stops, when the connection can
// still carry it, and returns the error for the caller.
func (r *receiver) fail(err error, got int64) error {
	g, size := r.g, r.t.Size
	op := fmt.Sprintf("receiving (%d of %d bytes)", got, size)
	var local *localError
	switch {
	case g.haltCause() != nil:
		g.writeFinal([]byte("CCL\r\n"))
		return wrap(op, ctxError(g.haltCause()))
	case errors.As(err, &local):
		if errors.Is(err, syscall.ENOSPC) {
			g.writeFinal([]byte(fmt.Sprintf("BYE %d\r\n", ByeOutOfSpace)))
		} else {
			g.writeFinal([]byte("CCL\r\n"))
		}
		return fmt.Errorf("msnftp: %s (%d of %d bytes): %w", local.op, got, size, local.err)
	case errors.Is(err, ErrCancelled):
		return wrap("receiving", err)
	case errors.Is(err, ErrProtocol):
		g.writeFinal([]byte("CCL\r\n"))
		return wrap(op, err)
	case errors.Is(err, ErrTimeout):
		g.writeFinal([]byte(fmt.Sprintf("BYE %d\r\n", ByeTimedOut)))
		return wrap(op, err)
	}
	return &IncompleteError{Got: got, Want: size}
}
