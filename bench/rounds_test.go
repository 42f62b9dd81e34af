package bench

import (
	"testing"
	"time"

	"msn/proto/msntest/peer"
	"msn/proto/server"
)

// roundTripDelay is the one-way delay of the round-trip tests' proxies.
// The counts do not depend on it (see msntest); it only keeps each
// round's deliveries apart from the scheduler's noise. A process
// starting, and a fresh sign-in's TLS handshake running beside the
// notification server's answers on a busy machine, make more noise than
// the 5 ms of the in-process tests allow for: at 10 ms, one run in a few
// dozen counted one round more.
const roundTripDelay = 25 * time.Millisecond

// checkRounds fails the test unless what was counted took exactly want
// round trips. The counts are the README's: one that goes down is a
// gain to write there, one that goes up a loss to mend.
func checkRounds(t *testing.T, what string, got, want int) {
	t.Helper()
	t.Logf("%s: %d round trips", what, got)
	if got != want {
		t.Errorf("%s: %d round trips, want %d", what, got, want)
	}
}

// TestProcessStatusRoundTrips counts the round trips of msn status run
// as a process of its own, with the ticket and the list cached, with and
// without --ca-file (which costs time, see the README, but no round
// trip).
func TestProcessStatusRoundTrips(t *testing.T) {
	w := newProcWorld(t, server.Reusable, roundTripDelay)
	w.statusPassword(t)
	for _, withCA := range []bool{true, false} {
		w.Settle(t)
		w.status(t, withCA)
		checkRounds(t, "msn status, cached"+caSuffix(withCA), w.Rounds(), 3)
	}
}

// TestProcessSendRoundTrips counts the round trips of msn send of one
// message, run as a process of its own, to a contact who is online, with
// the ticket, the server and the list cached, with and without
// --ca-file. The contact's join is counted apart, on the contact's own
// proxies.
func TestProcessSendRoundTrips(t *testing.T) {
	w := newProcWorld(t, server.Reusable, roundTripDelay)
	c := peer.Start(t, w.LatencyWorld, bob, "bobpass", roundTripDelay, commandTimeout)
	w.statusPassword(t)
	w.send(t, true) // caches the switchboard referral's server
	c.WaitFor(t, 1)
	for i, withCA := range []bool{true, false} {
		w.Settle(t)
		c.Clock.Reset()
		w.send(t, withCA)
		c.WaitFor(t, i+2)
		checkRounds(t, "msn send, cached"+caSuffix(withCA)+" (without the join)", w.Rounds(), 7)
		checkRounds(t, "the contact's join", c.Clock.Rounds(), 2)
	}
}

// TestProcessLoginRoundTrips counts the round trips of msn login run as
// a process of its own: with the cached ticket on a server that accepts
// it again, and afresh through Passport (login URL cached) on a server
// whose tickets serve once, as revival servers' do: the same as the
// sign-in alone (TestLoginRoundTrips in ./proto), since msn login hangs
// up without waiting for the server's answer to its goodbye.
func TestProcessLoginRoundTrips(t *testing.T) {
	t.Run("cached-ticket", func(t *testing.T) {
		w := newProcWorld(t, server.Reusable, roundTripDelay)
		w.msn(t, true, "login", "--password-file", w.pwFile)
		w.Settle(t)
		w.msn(t, true, "login")
		checkRounds(t, "msn login, cached ticket", w.Rounds(), 3)
	})
	t.Run("fresh-single-use", func(t *testing.T) {
		w := newProcWorld(t, server.SingleUse, roundTripDelay)
		w.msn(t, true, "login", "--password-file", w.pwFile)
		w.Settle(t)
		w.msn(t, true, "login", "--password-file", w.pwFile)
		checkRounds(t, "msn login, single-use tickets, login URL cached", w.Rounds(), 5)
	})
}

// TestProcessSingleUseRoundTrips counts msn status and msn send as a
// cron job runs them against a server whose tickets serve once. The
// first run signs in through Passport and caches the ticket; the second
// offers it, is refused, signs in afresh and records that this server's
// tickets serve once (9 round trips, paid once per account and server);
// from then on every run goes straight to Passport with the password
// file: status 5 and send 9, against 3 and 7 with a ticket the server
// accepts again.
func TestProcessSingleUseRoundTrips(t *testing.T) {
	w := newProcWorld(t, server.SingleUse, roundTripDelay)
	c := peer.Start(t, w.LatencyWorld, bob, "bobpass", roundTripDelay, commandTimeout)
	w.statusPassword(t)
	w.Settle(t)
	w.statusPassword(t)
	checkRounds(t, "msn status, single-use tickets, the spent ticket refused once", w.Rounds(), 9)
	w.Settle(t)
	w.statusPassword(t)
	checkRounds(t, "msn status, single-use tickets", w.Rounds(), 5)
	w.sendPassword(t)
	c.WaitFor(t, 1)
	w.Settle(t)
	c.Clock.Reset()
	w.sendPassword(t)
	c.WaitFor(t, 2)
	checkRounds(t, "msn send, single-use tickets (without the join)", w.Rounds(), 9)
	checkRounds(t, "the contact's join", c.Clock.Rounds(), 2)
}

// TestProcessSharedRoundTrips counts msn status and msn send run as
// processes of their own through a session an msn up process holds.
func TestProcessSharedRoundTrips(t *testing.T) {
	w := newProcWorld(t, server.Reusable, roundTripDelay)
	c := peer.Start(t, w.LatencyWorld, bob, "bobpass", roundTripDelay, commandTimeout)
	w.hold(t)
	w.status(t, false) // the first client waits for the holder's list sync
	w.SettleShared(t)
	w.status(t, false)
	checkRounds(t, "msn status through a shared session", w.Rounds(), 0)
	w.send(t, false) // the holder learns a switchboard referral
	c.WaitFor(t, 1)
	w.SettleShared(t)
	c.Clock.Reset()
	w.send(t, false)
	c.WaitFor(t, 2)
	checkRounds(t, "msn send through a shared session (without the join)", w.Rounds(), 4)
	checkRounds(t, "the contact's join", c.Clock.Rounds(), 2)
}

// caSuffix names the --ca-file variant of a count.
func caSuffix(withCA bool) string {
	if withCA {
		return ", with --ca-file"
	}
	return ", without --ca-file"
}
