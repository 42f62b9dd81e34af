package commands

import (
	"context"
	"strings"
	"testing"
	"time"

	"msn/commands/session/share"
	"msn/proto/msntest/peer"
)

// hold runs msn up as account on its own goroutine, returns once its
// session is served and settled, and stops it at the end of the test.
func (w *testWorld) hold(tb testing.TB, account string) {
	tb.Helper()
	env, _, stderr := w.env(account, strings.NewReader(""))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runUp(ctx, env, upOptions{Session: w.session(account)}) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("msn up: %v; %s", err, stderr)
		}
	})
	store, err := env.Store()
	if err != nil {
		tb.Fatal(err)
	}
	cfg := env.sessionConfig(store)
	path := share.SocketPath(cfg.ShareDir, cfg.Server, account)
	deadline := time.Now().Add(5 * time.Second)
	for {
		if settled(path) {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("msn up did not hold the session: %s", stderr)
		}
		select {
		case err := <-done:
			tb.Fatalf("msn up ended: %v; %s", err, stderr)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// settled reports whether a holder serves the session at path with its
// list synced and its presence set, so that it is quiet until asked.
func settled(path string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	cl, err := share.Dial(ctx, path, share.DialOptions{})
	if err != nil {
		return false
	}
	defer cl.Close()
	return cl.Welcome().Status != ""
}

// statusOnce runs msn status as alice and checks that it lists bob.
func statusOnce(tb testing.TB, w *testWorld) {
	tb.Helper()
	env, stdout, stderr := w.env("alice@example.com", strings.NewReader(""))
	if err := runStatus(context.Background(), env, statusOptions{Password: w.session("alice@example.com").Password}); err != nil {
		tb.Fatalf("status: %v; %s", err, stderr)
	}
	if !strings.Contains(stdout.String(), "bob@example.com") {
		tb.Fatalf("status: no bob in %q", stdout)
	}
}

// TestStatusRoundTripsShared counts the round trips to the server of msn
// status through a session msn up holds: the holder already knows the
// list and everyone's presence, so none are needed (target ≤ 1).
func TestStatusRoundTripsShared(t *testing.T) {
	w, lw := newLatencyWorld(t, roundTripDelay)
	w.timeout = roundTripTimeout
	w.hold(t, "alice@example.com")
	statusOnce(t, w) // the first client waits for the holder's list sync
	lw.SettleShared(t)
	statusOnce(t, w)
	got := lw.Rounds()
	t.Logf("msn status through a shared session: %d round trips (target ≤ 1)", got)
	if got > 1 {
		t.Fatalf("msn status through a shared session: %d round trips, target ≤ 1", got)
	}
}

// TestSendRoundTripsShared counts the round trips of msn send of one
// message to a contact who is online, through a session msn up holds:
// the switchboard request on the holder's connection (XFR), with the
// connect to the switchboard the holder's last referral went to beside
// it, then USR, CAL and MSG, which cannot share a write (a switchboard
// may close the connection when CAL comes before the answer to USR):
// 4 plus the contact's join.
func TestSendRoundTripsShared(t *testing.T) {
	w, lw := newLatencyWorld(t, roundTripDelay)
	w.timeout = roundTripTimeout
	bob := peer.Start(t, lw, "bob@example.com", "bobpass", roundTripDelay, roundTripTimeout)
	defer bob.Close()
	w.hold(t, "alice@example.com")
	if err := sendPing(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	bob.WaitFor(t, 1)
	lw.SettleShared(t)
	bob.Clock.Reset()
	if err := sendPing(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	bob.WaitFor(t, 2)
	checkRoundTrips(t, "msn send through a shared session, contact online (without the join)", lw.Rounds(), 4)
	checkRoundTrips(t, "the contact's join", bob.Clock.Rounds(), 2)
}

// BenchmarkSharedRoundTrips measures msn status and msn send of one
// message, each in a session of its own (ticket, server and list cached)
// and through a session msn up holds, side by side in one run, through
// proxies that add 25 ms each way, in round trips (wall time divided by
// 50 ms). The contact's join is included in send.
func BenchmarkSharedRoundTrips(b *testing.B) {
	w, _ := newLatencyWorld(b, oneWayDelay)
	w.listening(b, "bob@example.com")
	ctx := context.Background()
	send := func(b *testing.B) {
		if err := sendPing(ctx, w); err != nil {
			b.Fatal(err)
		}
	}
	measure := func(name string, op func(*testing.B)) {
		b.Run(name, func(b *testing.B) {
			start := time.Now()
			for i := 0; i < b.N; i++ {
				op(b)
			}
			reportRoundTrips(b, time.Since(start))
		})
	}
	send(b) // caches the ticket, the server and the contact list
	statusOnce(b, w)
	measure("status-own", func(b *testing.B) { statusOnce(b, w) })
	measure("send-own", send)
	w.hold(b, "alice@example.com")
	statusOnce(b, w)
	measure("status-shared", func(b *testing.B) { statusOnce(b, w) })
	measure("send-shared", send)
}
