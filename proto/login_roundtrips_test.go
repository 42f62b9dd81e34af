package proto

import (
	"context"
	"testing"
	"time"

	"msn/proto/msntest"
	"msn/proto/secret"
	"msn/proto/server"
)

// roundTripDelay is the one-way delay of the round-trip tests' proxies.
// The counts do not depend on it; it only has to keep the proxies'
// deliveries apart from the scheduling noise.
const roundTripDelay = 5 * time.Millisecond

// TestLoginRoundTrips counts the round trips of a sign-in, from nothing to
// a synced notification connection, through the latency proxies (see
// msntest), against the targets the README states.
func TestLoginRoundTrips(t *testing.T) {
	for _, tc := range []struct {
		name   string
		policy server.TicketPolicy
		reuse  bool // present the cached ticket
		target int
	}{
		{"cached-ticket", server.Reusable, true, 4},
		{"fresh-login-url-cached", server.SingleUse, false, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newLatencyWorld(t, tc.policy, roundTripDelay)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			ticket, list, err := latencyLogin(ctx, w, "", secret.String{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.reuse {
				ticket = secret.String{}
			}
			w.Settle(t)
			if _, _, err := latencyLogin(ctx, w, w.Server.LoginURL(), ticket, list); err != nil {
				t.Fatal(err)
			}
			checkRoundTrips(t, w, tc.target)
		})
	}
}

// checkRoundTrips fails the test if the operation since the world's last
// Settle took more round trips than target, or fewer than a TCP connect
// and one exchange (the proxies then missed the traffic).
func checkRoundTrips(t *testing.T, w *msntest.LatencyWorld, target int) {
	t.Helper()
	got := w.Rounds()
	t.Logf("%d round trips (target ≤ %d)", got, target)
	if got < 2 {
		t.Fatalf("%d round trips: the traffic did not go through the proxies", got)
	}
	if got > target {
		t.Fatalf("%d round trips, target ≤ %d", got, target)
	}
}
