package commands

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"msn/proto/msnftp"
	"msn/proto/msntest"
	"msn/proto/server"
	"msn/proto/switchboard"
)

// quickTransfer makes stalls fail within a fraction of a second.
var quickTransfer = msnftp.Options{Idle: 300 * time.Millisecond, Handshake: 2 * time.Second}

// offerPeer is a demo account signed in through proto whose answer to a
// file offer is scripted by the test.
type offerPeer struct {
	*testPeer
	offers chan offerAt
}

// offerAt is a file offer and the conversation it came in.
type offerAt struct {
	sb  *switchboard.Switchboard
	inv *switchboard.Invitation
}

// filePeer signs account in; every file offer it gets is passed to the
// test on offers.
func (w *testWorld) filePeer(tb testing.TB, account string) *offerPeer {
	tb.Helper()
	p := &offerPeer{offers: make(chan offerAt, 4)}
	p.testPeer = w.peerWith(tb, account, func(sb func() *switchboard.Switchboard) func(switchboard.Event) {
		return func(ev switchboard.Event) {
			if inv, ok := ev.(*switchboard.Invitation); ok && inv.IsFileOffer() {
				go func() { p.offers <- offerAt{sb: sb(), inv: inv} }()
			}
		}
	})
	return p
}

// next waits for the next offer.
func (p *offerPeer) next(tb testing.TB) offerAt {
	tb.Helper()
	select {
	case o := <-p.offers:
		return o
	case <-time.After(5 * time.Second):
		tb.Fatal("no file offer")
		return offerAt{}
	}
}

// transferWorld starts a world with bob signed in as a file peer, and a
// context for the test; goroutine leaks are checked when it ends.
func transferWorld(t *testing.T) (*testWorld, context.Context, *offerPeer) {
	t.Helper()
	w := newTestWorld(t, server.Config{})
	ignore := goleak.IgnoreCurrent()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	bob := w.filePeer(t, "bob@example.com")
	t.Cleanup(func() {
		bob.close()
		cancel()
		goleak.VerifyNone(t, ignore)
	})
	return w, ctx, bob
}

// sendfileAsAlice runs msn sendfile as alice to bob on its own goroutine.
// The file is size bytes (100,000 when 0).
func (w *testWorld) sendfileAsAlice(t *testing.T, ctx context.Context, size int, opts sendfileOptions) (stdout, stderr *msntest.SyncBuffer, wait func() error) {
	t.Helper()
	if size == 0 {
		size = 100000
	}
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(path, make([]byte, size), 0o600); err != nil {
		t.Fatal(err)
	}
	env, stdout, stderr := w.env("alice@example.com", strings.NewReader(""))
	opts.To, opts.Path, opts.Session = "bob@example.com", path, w.session("alice@example.com")
	if opts.Wait == 0 {
		opts.Wait = 5 * time.Second
	}
	opts.deadlines = quickTransfer
	done := make(chan error, 1)
	go func() { done <- runSendfile(ctx, env, opts) }()
	return stdout, stderr, func() error { return <-done }
}

// rawReceiver connects to the address of an accepted offer.
func rawReceiver(t *testing.T, ctx context.Context, o offerAt) (net.Conn, *switchboard.FileSource, *bufio.Reader) {
	t.Helper()
	src, err := o.sb.AcceptFile(ctx, o.inv)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", src.Addrs[0], 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	return conn, src, bufio.NewReader(conn)
}

// TestSendfileFailures drives msn sendfile against a receiver that
// misbehaves in each way the README's table names, and checks the
// message and the exit code.
func TestSendfileFailures(t *testing.T) {
	for _, tc := range []struct {
		name string
		size int // bytes to send; 0 for 100,000
		wait time.Duration
		peer func(t *testing.T, ctx context.Context, o offerAt)
		code int
		msg  string
	}{
		{"wrong cookie", 0, 0, func(t *testing.T, ctx context.Context, o offerAt) {
			src, err := o.sb.AcceptFile(ctx, o.inv)
			if err != nil {
				t.Fatal(err)
			}
			for range msnftp.MaxAttempts {
				conn, err := net.DialTimeout("tcp", src.Addrs[0], 5*time.Second)
				if err != nil {
					return // the listener closed after the last attempt
				}
				_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
				fmt.Fprintf(conn, "VER MSNFTP\r\nUSR bob@example.com 1%s\r\n", src.AuthCookie)
				_, _ = io.Copy(io.Discard, conn)
				conn.Close()
			}
		}, ExNoPerm, "msn: sendfile: the transfer with bob@example.com failed: wrong handle or auth cookie"},
		{"gone mid-transfer", 64 << 20, 0, func(t *testing.T, ctx context.Context, o offerAt) {
			conn, src, br := rawReceiver(t, ctx, o)
			defer conn.Close()
			fmt.Fprintf(conn, "VER MSNFTP\r\nUSR bob@example.com %s\r\n", src.AuthCookie)
			for _, want := range []string{"VER MSNFTP\r\n", fmt.Sprintf("FIL %d\r\n", 64<<20)} {
				if line, _ := br.ReadString('\n'); line != want {
					t.Errorf("sender said %q, want %q", line, want)
				}
			}
			fmt.Fprintf(conn, "TFR\r\n")
			_, _ = io.ReadFull(br, make([]byte, 5000))
		}, ExIOErr, "msn: sendfile: the connection with bob@example.com broke off"},
		{"cancelled mid-transfer", 0, 0, func(t *testing.T, ctx context.Context, o offerAt) {
			conn, src, br := rawReceiver(t, ctx, o)
			defer conn.Close()
			fmt.Fprintf(conn, "VER MSNFTP\r\nUSR bob@example.com %s\r\nTFR\r\n", src.AuthCookie)
			_, _ = io.ReadFull(br, make([]byte, 5000))
			fmt.Fprintf(conn, "CCL\r\n")
			_, _ = io.Copy(io.Discard, br)
		}, ExIOErr, "msn: sendfile: bob@example.com cancelled the transfer"},
		// A receiver that takes every byte and stays silent stalls the
		// transfer (75); one that closes without BYE broke it off (74).
		{"no confirmation", 0, 0, func(t *testing.T, ctx context.Context, o offerAt) {
			conn, src, br := rawReceiver(t, ctx, o)
			defer conn.Close()
			fmt.Fprintf(conn, "VER MSNFTP\r\nUSR bob@example.com %s\r\nTFR\r\n", src.AuthCookie)
			_, _ = io.Copy(io.Discard, br)
		}, ExTempFail, "msn: sendfile: every byte was sent, but bob@example.com did not confirm the file in time"},
		{"closed without confirmation", 0, 0, func(t *testing.T, ctx context.Context, o offerAt) {
			conn, src, br := rawReceiver(t, ctx, o)
			defer conn.Close()
			fmt.Fprintf(conn, "VER MSNFTP\r\nUSR bob@example.com %s\r\nTFR\r\n", src.AuthCookie)
			for _, want := range []string{"VER MSNFTP\r\n", "FIL 100000\r\n"} {
				if line, _ := br.ReadString('\n'); line != want {
					t.Errorf("sender said %q, want %q", line, want)
				}
			}
			const blocks = (100000 + msnftp.MaxBlock - 1) / msnftp.MaxBlock
			if _, err := io.CopyN(io.Discard, br, 100000+3*blocks); err != nil {
				t.Errorf("reading the data: %v", err)
			}
		}, ExIOErr, "msn: sendfile: every byte was sent, but bob@example.com did not confirm the file"},
		{"could not connect", 0, 0, func(t *testing.T, ctx context.Context, o offerAt) {
			if _, err := o.sb.AcceptFile(ctx, o.inv); err != nil {
				t.Fatal(err)
			}
			if err := o.sb.CancelInvitation(ctx, o.inv, switchboard.CancelFTTimeout); err != nil {
				t.Fatal(err)
			}
		}, ExTempFail, "msn: sendfile: bob@example.com gave up: the transfer could not start in time (FTTIMEOUT)"},
		{"never connects", 0, 300 * time.Millisecond, func(t *testing.T, ctx context.Context, o offerAt) {
			if _, err := o.sb.AcceptFile(ctx, o.inv); err != nil {
				t.Fatal(err)
			}
		}, ExTempFail, "msn: sendfile: bob@example.com did not connect to 127.0.0.1:"},
		{"declined", 0, 0, func(t *testing.T, ctx context.Context, o offerAt) {
			if err := o.sb.CancelInvitation(ctx, o.inv, switchboard.CancelReject); err != nil {
				t.Fatal(err)
			}
		}, ExUnavailable, "msn: sendfile: bob@example.com declined the file"},
		{"left", 0, 0, func(t *testing.T, ctx context.Context, o offerAt) {
			_ = o.sb.Leave(ctx)
		}, ExUnavailable, "msn: sendfile: bob@example.com left the conversation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, ctx, bob := transferWorld(t)
			stdout, stderr, wait := w.sendfileAsAlice(t, ctx, tc.size, sendfileOptions{Wait: tc.wait})
			tc.peer(t, ctx, bob.next(t))
			err := wait()
			var msg strings.Builder
			code := Report(&msg, err)
			if code != tc.code || !strings.HasPrefix(msg.String(), tc.msg) {
				t.Errorf("exit %d, %q; want %d, %q", code, msg.String(), tc.code, tc.msg)
			}
			if stdout.String() != "" {
				t.Errorf("stdout %q; stderr %q", stdout, stderr)
			}
		})
	}
}

// TestSendfileAdvertises checks the address a sender advertises: the
// local address of the server connection, or --public-address.
func TestSendfileAdvertises(t *testing.T) {
	w, ctx, bob := transferWorld(t)
	for _, public := range []string{"", "192.0.2.7"} {
		opts := sendfileOptions{Wait: 300 * time.Millisecond}
		want := "127.0.0.1"
		if public != "" {
			opts.PublicAddress, want = netip.MustParseAddr(public), public
		}
		_, _, wait := w.sendfileAsAlice(t, ctx, 0, opts)
		o := bob.next(t)
		src, err := o.sb.AcceptFile(ctx, o.inv)
		if err != nil {
			t.Fatal(err)
		}
		if host, _, _ := net.SplitHostPort(src.Addrs[0]); host != want {
			t.Errorf("advertised %s, want %s", src.Addrs[0], want)
		}
		if err := wait(); ExitCode(err) != ExTempFail {
			t.Errorf("nobody connected: %v", err)
		}
	}
}

// TestSendfileInterrupted interrupts msn sendfile in the middle of the
// data: the receiver gets the cancel block at a block boundary, and the
// command exits 130.
func TestSendfileInterrupted(t *testing.T) {
	w, ctx, bob := transferWorld(t)
	actx, interrupt := context.WithCancel(ctx)
	defer interrupt()
	_, _, wait := w.sendfileAsAlice(t, actx, 64<<20, sendfileOptions{})
	conn, src, br := rawReceiver(t, ctx, bob.next(t))
	defer conn.Close()
	fmt.Fprintf(conn, "VER MSNFTP\r\nUSR bob@example.com %s\r\nTFR\r\n", src.AuthCookie)
	br.ReadString('\n') // VER
	br.ReadString('\n') // FIL
	block := make([]byte, 3+msnftp.MaxBlock)
	if _, err := io.ReadFull(br, block); err != nil || block[0] != 0 {
		t.Fatalf("first block: %v %x", err, block[:3])
	}
	interrupt()
	cancelled := false
	for !cancelled {
		if _, err := io.ReadFull(br, block[:3]); err != nil {
			t.Fatalf("no cancel block before the end: %v", err)
		}
		n := int(block[1]) | int(block[2])<<8
		cancelled = block[0] != 0
		if _, err := io.ReadFull(br, block[:n]); err != nil {
			t.Fatal(err)
		}
	}
	if err := wait(); ExitCode(err) != ExInterrupted {
		t.Errorf("exit %d (%v), want %d", ExitCode(err), err, ExInterrupted)
	}
}
