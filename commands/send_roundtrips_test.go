package commands

import (
	"context"
	"msn/proto/msntest/peer"
	"testing"
)

// TestSendRoundTrips counts the round trips of msn send of one message to
// a contact who is online, with the ticket, the server and the contact
// list cached, from the start of the command to its exit, through the
// latency proxies (see msntest), against the README's target of 8 plus
// the contact's join.
//
// The contact is a client of its own, behind proxies of its own that
// count on a clock of its own: the count of msn send does not include
// the join, which the switchboard relays from the contact's connection to
// the sender's, and the join is counted apart, from the contact's
// connect to the switchboard to the answer's reply.
func TestSendRoundTrips(t *testing.T) {
	w, lw := newLatencyWorld(t, roundTripDelay)
	w.timeout = roundTripTimeout
	bob := peer.Start(t, lw, "bob@example.com", "bobpass", roundTripDelay, roundTripTimeout)
	defer bob.Close()

	if err := sendPing(context.Background(), w); err != nil { // caches the ticket, the server and the list
		t.Fatal(err)
	}
	bob.WaitFor(t, 1)
	lw.Settle(t)
	bob.Clock.Reset()
	if err := sendPing(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	bob.WaitFor(t, 2)
	checkRoundTrips(t, "msn send, cached, contact online (without the join)", lw.Rounds(), 8)
	checkRoundTrips(t, "the contact's join", bob.Clock.Rounds(), 2)
}
