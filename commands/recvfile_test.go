package commands

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"msn/proto/msntest"
	"msn/proto/server"
	"msn/proto/switchboard"
)

// recvfileAsBob runs msn recvfile --count count as bob into dir on its
// own goroutine and returns once it is online.
// With count 0 it runs until ctx ends.
func (w *testWorld) recvfileAsBob(ctx context.Context, dir string, count int) (stdout, stderr *msntest.SyncBuffer, wait func() error) {
	env, stdout, stderr := w.env("bob@example.com", strings.NewReader(""))
	opts := recvfileOptions{Dir: dir, Count: count, MaxSize: 1 << 30, Session: w.session("bob@example.com"), deadlines: quickTransfer}
	ready := make(chan struct{})
	opts.onReady = func() { close(ready) }
	done := make(chan error, 1)
	go func() { done <- runRecvfile(ctx, env, opts) }()
	select {
	case <-ready:
	case err := <-done:
		done <- err
	}
	return stdout, stderr, func() error { return <-done }
}

// offerToBob has alice, signed in through proto, offer bob a file of
// size bytes and, once he accepts, listen for him with auth cookie 4242.
// It returns the offer and the listener.
func offerToBob(t *testing.T, ctx context.Context, alice *testPeer, size int64) (*switchboard.Offer, net.Listener) {
	t.Helper()
	sa, err := switchboard.Open(ctx, alice.res.NS, switchboard.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sa.Close() })
	if err := sa.Invite(ctx, "bob@example.com"); err != nil {
		t.Fatal(err)
	}
	o, err := sa.OfferFile(ctx, "bob@example.com", "notes.txt", size)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return o, ln
}

// handshake accepts bob's connection and answers his VER and USR,
// announcing size bytes; it returns after his TFR.
func handshake(t *testing.T, ln net.Listener, size int64) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(conn)
	for _, want := range []string{"VER MSNFTP\r\n", "USR bob@example.com 4242\r\n"} {
		if line, _ := br.ReadString('\n'); line != want {
			t.Errorf("receiver said %q, want %q", line, want)
		}
		if strings.HasPrefix(want, "VER") {
			fmt.Fprintf(conn, "VER MSNFTP\r\n")
		}
	}
	fmt.Fprintf(conn, "FIL %d\r\n", size)
	if line, _ := br.ReadString('\n'); line != "TFR\r\n" {
		t.Errorf("receiver said %q, want TFR", line)
	}
	return conn, br
}

// TestRecvfileFailures drives msn recvfile against a sender that
// misbehaves: every failure leaves nothing in the directory, is said on
// stderr, and sets the exit status.
func TestRecvfileFailures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		sender func(t *testing.T, ctx context.Context, o *switchboard.Offer, ln net.Listener)
		code   int
		msg    string
	}{
		{"short", func(t *testing.T, ctx context.Context, o *switchboard.Offer, ln net.Listener) {
			conn, _ := handshake(t, ln, 10)
			conn.Write([]byte{0, 5, 0, 'a', 'b', 'c', 'd', 'e'})
			conn.Close()
		}, ExIOErr, "msn: recvfile: the connection with alice@example.com broke off after 5 of 10 bytes"},
		{"overrun", func(t *testing.T, ctx context.Context, o *switchboard.Offer, ln net.Listener) {
			conn, br := handshake(t, ln, 10)
			conn.Write(append([]byte{0, 20, 0}, make([]byte, 20)...))
			_, _ = io.Copy(io.Discard, br)
			conn.Close()
		}, ExIOErr, "msn: recvfile: alice@example.com sent more than the announced size"},
		{"cancel block", func(t *testing.T, ctx context.Context, o *switchboard.Offer, ln net.Listener) {
			conn, br := handshake(t, ln, 10)
			conn.Write([]byte{0, 3, 0, 'a', 'b', 'c', 1, 0, 0})
			_, _ = io.Copy(io.Discard, br)
			conn.Close()
		}, ExIOErr, "msn: recvfile: alice@example.com cancelled the transfer"},
		{"stall", func(t *testing.T, ctx context.Context, o *switchboard.Offer, ln net.Listener) {
			conn, br := handshake(t, ln, 10)
			conn.Write([]byte{0, 3, 0, 'a', 'b', 'c'})
			_, _ = io.Copy(io.Discard, br)
			conn.Close()
		}, ExTempFail, "msn: recvfile: the transfer with alice@example.com timed out"},
		{"wrong version", func(t *testing.T, ctx context.Context, o *switchboard.Offer, ln net.Listener) {
			conn, err := ln.Accept()
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			fmt.Fprintf(conn, "VER MSNFTP2\r\n")
			_, _ = io.Copy(io.Discard, conn)
		}, ExProtocol, "msn: recvfile: alice@example.com broke the file transfer protocol"},
		{"closed before the data", func(t *testing.T, ctx context.Context, o *switchboard.Offer, ln net.Listener) {
			conn, err := ln.Accept()
			if err != nil {
				t.Fatal(err)
			}
			conn.Close()
		}, ExTempFail, "msn: recvfile: the connection with alice@example.com broke before the transfer began"},
		{"offer withdrawn", func(t *testing.T, ctx context.Context, o *switchboard.Offer, ln net.Listener) {
			if err := o.Cancel(ctx, switchboard.CancelOutbandCancel); err != nil {
				t.Fatal(err)
			}
		}, ExIOErr, "msn: recvfile: alice@example.com cancelled the transfer (OUTBANDCANCEL)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ignore := goleak.IgnoreCurrent() // checked after every cleanup
			t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
			w := newTestWorld(t, server.Config{})
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			dir := t.TempDir()
			stdout, stderr, wait := w.recvfileAsBob(ctx, dir, 1)
			alice := w.peer(t, "alice@example.com")
			defer alice.close()
			o, ln := offerToBob(t, ctx, alice, 10)
			if tc.name != "offer withdrawn" {
				port := uint16(ln.Addr().(*net.TCPAddr).Port)
				if err := o.SendAddress(ctx, netip.MustParseAddr("127.0.0.1"), port, "4242"); err != nil {
					t.Fatal(err)
				}
			}
			tc.sender(t, ctx, o, ln)
			err := wait()
			if code := ExitCode(err); code != tc.code {
				t.Errorf("exit %d (%v), want %d", code, err, tc.code)
			}
			if !strings.HasPrefix(stderr.String(), "msn: receiving files into ") ||
				!strings.Contains(stderr.String(), "\n"+tc.msg) {
				t.Errorf("stderr %q, want a line %q", stderr, tc.msg)
			}
			if n := strings.Count(stderr.String(), "\n"); n != 2 {
				t.Errorf("stderr %q: %d lines, want the banner and the failure (no count after a single transfer)", stderr, n)
			}
			if stdout.String() != "" {
				t.Errorf("stdout %q", stdout)
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Errorf("left in the directory: %v", left)
			}
		})
	}
}

// TestRecvfileInterrupted interrupts msn recvfile in the middle of a
// transfer: the sender gets CCL, nothing is left in the directory, and
// the command exits 130.
func TestRecvfileInterrupted(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	w := newTestWorld(t, server.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rctx, interrupt := context.WithCancel(ctx)
	defer interrupt()
	dir := t.TempDir()
	stdout, _, wait := w.recvfileAsBob(rctx, dir, 0)
	alice := w.peer(t, "alice@example.com")
	defer alice.close()
	o, ln := offerToBob(t, ctx, alice, 10)
	if err := o.SendAddress(ctx, netip.MustParseAddr("127.0.0.1"), uint16(ln.Addr().(*net.TCPAddr).Port), "4242"); err != nil {
		t.Fatal(err)
	}
	conn, br := handshake(t, ln, 10)
	defer conn.Close()
	conn.Write([]byte{0, 3, 0, 'a', 'b', 'c'})
	interrupt()
	if line, _ := br.ReadString('\n'); line != "CCL\r\n" {
		t.Errorf("receiver said %q, want CCL", line)
	}
	if err := wait(); ExitCode(err) != ExInterrupted {
		t.Errorf("exit %d (%v), want %d", ExitCode(err), err, ExInterrupted)
	}
	if stdout.String() != "" {
		t.Errorf("stdout %q", stdout)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left in the directory: %v", left)
	}
}

// TestRecvfileCountsFailures: after more than one transfer, a last line
// counts the failures; the exit status is the first failure's.
func TestRecvfileCountsFailures(t *testing.T) {
	w := newTestWorld(t, server.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	dir := t.TempDir()
	_, stderr, wait := w.recvfileAsBob(ctx, dir, 2)
	alice := w.peer(t, "alice@example.com")
	defer alice.close()
	for range 2 {
		o, ln := offerToBob(t, ctx, alice, 10)
		if err := o.SendAddress(ctx, netip.MustParseAddr("127.0.0.1"), uint16(ln.Addr().(*net.TCPAddr).Port), "4242"); err != nil {
			t.Fatal(err)
		}
		conn, _ := handshake(t, ln, 10)
		conn.Write([]byte{0, 5, 0, 'a', 'b', 'c', 'd', 'e'})
		conn.Close()
	}
	err := wait()
	if code := ExitCode(err); code != ExIOErr {
		t.Errorf("exit %d (%v), want %d", code, err, ExIOErr)
	}
	if got := message(err); got != "recvfile: 2 of 2 transfers failed" {
		t.Errorf("error %q, want the count", got)
	}
	if n := strings.Count(stderr.String(), "broke off after 5 of 10 bytes"); n != 2 {
		t.Errorf("stderr %q: %d failure lines, want 2", stderr, n)
	}
}
