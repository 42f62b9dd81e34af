package commands

import (
	"testing"
	"time"
)

// roundTripDelay is the one-way delay of the round-trip tests' proxies.
// The counts do not depend on it; it only has to keep the proxies'
// deliveries apart from the scheduling noise.
const roundTripDelay = 5 * time.Millisecond

// roundTripTimeout bounds each command of a round-trip test.
const roundTripTimeout = 2 * time.Second

// checkRoundTrips fails the test if what was counted took more round
// trips than target, or fewer than a TCP connect and one exchange (the
// proxies then missed the traffic).
func checkRoundTrips(t *testing.T, what string, got, target int) {
	t.Helper()
	t.Logf("%s: %d round trips (target ≤ %d)", what, got, target)
	if got < 2 {
		t.Fatalf("%s: %d round trips: the traffic did not go through the proxies", what, got)
	}
	if got > target {
		t.Fatalf("%s: %d round trips, target ≤ %d", what, got, target)
	}
}
