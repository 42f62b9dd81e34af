package commands

import (
	"testing"
	"time"

	"msn/proto/msntest"
)

// roundTripDelay is the one-way delay of the round-trip tests' proxies.
// The counts do not depend on it; it only has to keep the proxies'
// deliveries apart from the scheduling noise.
const roundTripDelay = 5 * time.Millisecond

// roundTripTimeout bounds each command of a round-trip test.
const roundTripTimeout = 2 * time.Second

// checkRoundTrips fails the test if what ran since the world's last
// Settle took more round trips than target, or fewer than a TCP connect
// and one exchange (the proxies then missed the traffic).
func checkRoundTrips(t *testing.T, w *msntest.LatencyWorld, what string, target int) {
	t.Helper()
	got := w.Rounds()
	t.Logf("%s: %d round trips (target ≤ %d)", what, got, target)
	if got < 2 {
		t.Fatalf("%s: %d round trips: the traffic did not go through the proxies", what, got)
	}
	if got > target {
		t.Fatalf("%s: %d round trips, target ≤ %d", what, got, target)
	}
}
