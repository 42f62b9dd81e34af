package commands

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"msn/proto/msntest"
	"msn/proto/server"
)

// TestSendInteractiveIdleStdinUnacknowledged has the server's ACK of
// the only line never reach send -i (the switchboard connection stalls
// towards the client at the ACK) while stdin stays open with nothing
// more to read: send -i fails with "not acknowledged" once --timeout has
// passed, without waiting for another line or the end of stdin.
func TestSendInteractiveIdleStdinUnacknowledged(t *testing.T) {
	const ackWait = time.Second
	w := newTestWorld(t, server.Config{})
	bob := w.peer(t, "bob@example.com")
	defer bob.close()
	proxy, err := msntest.NewFaultProxy(w.srv.SBAddr(), msntest.Rule{Fault: msntest.Stall, Dir: msntest.ServerToClient, On: "ACK "})
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	in, feed := io.Pipe()
	defer feed.Close()
	env, _, stderr := w.env("alice@example.com", in)
	env.opts.Timeout = ackWait
	env.dial = dialThrough(w.srv.SBAddr(), proxy.Addr())
	done := make(chan error, 1)
	go func() {
		done <- runSend(context.Background(), env, sendOptions{Recipients: []string{"bob@example.com"}, Interactive: true,
			Window: sendWindow, Session: w.session("alice@example.com")})
	}()
	fmt.Fprintln(feed, "one")
	bob.waitFor(t, 1)
	var got error
	select {
	case got = <-done:
	case <-time.After(10 * ackWait):
		t.Fatalf("send -i still waits for stdin %s after its only line went unacknowledged; stderr %q", 10*ackWait, stderr)
	}
	if code := env.Report(got); code != ExTempFail {
		t.Errorf("exit %d, want %d (%v)", code, ExTempFail, got)
	}
	if !strings.Contains(stderr.String(), "1 line(s) not acknowledged") {
		t.Errorf("stderr %q does not say the line was not acknowledged", stderr)
	}
	if proxy.Fired() == 0 {
		t.Error("the ACK was never held back")
	}
}

// dialThrough returns a dialer that reaches the address target through
// proxy instead.
func dialThrough(target, proxy string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if samePort(addr, target) {
			addr = proxy
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
}
