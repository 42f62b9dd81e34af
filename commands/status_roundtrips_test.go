package commands

import (
	"path/filepath"
	"testing"
)

// TestStatusRoundTrips counts the round trips of msn status with the
// ticket and the contact list cached, from building the app to its exit,
// through the latency proxies (see msntest), against the README's target.
func TestStatusRoundTrips(t *testing.T) {
	w := newBenchWorld(t, roundTripDelay)
	w.args = append(w.args, "--timeout", roundTripTimeout.String())
	w.run(t, "--account", "alice@example.com", "status", "--password-file", filepath.Join(w.dir, "alice.pw"))
	w.run(t, "--account", "alice@example.com", "status") // the ticket and the list are cached now
	w.Settle(t)
	w.run(t, "--account", "alice@example.com", "status")
	checkRoundTrips(t, "msn status, cached ticket and list", w.Rounds(), 5)
}
