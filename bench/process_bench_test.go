package bench

import (
	"testing"
	"time"

	"msn/proto/msntest/peer"
	"msn/proto/server"
)

// oneWayDelay is the latency the benchmark proxies add in each direction.
const oneWayDelay = 25 * time.Millisecond

// variant is one command of a side-by-side benchmark.
type variant struct {
	name    string
	run     func(testing.TB)
	elapsed time.Duration
}

// interleave runs every variant once per iteration, in turn, so that
// the machine's ups and downs fall on all of them (each iteration starts
// one variant further on, so that none is always first), and reports each one's
// mean time in round trips of the proxies (wall time divided by 50 ms)
// as the metric NAME-rt.
func interleave(b *testing.B, vs []*variant) {
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := range vs {
			v := vs[(i+j)%len(vs)]
			start := time.Now()
			v.run(b)
			v.elapsed += time.Since(start)
		}
	}
	b.StopTimer()
	for _, v := range vs {
		b.ReportMetric(v.elapsed.Seconds()/float64(b.N)/(2*oneWayDelay).Seconds(), v.name+"-rt")
	}
}

// BenchmarkProcessRoundTrips measures msn status and msn send of one
// message, each the built binary run as a process of its own, through
// proxies that add 25 ms each way, from the start of the process to its
// exit, in round trips. Side by side in one run: on a server that
// accepts a ticket again (cached ticket and list, with and without
// --ca-file), on one whose tickets serve once (every run signs in with
// the password file, as a cron job does), and through a session an msn
// up process holds, on either server. The contact answers in the
// benchmark's process; its join is included in send.
func BenchmarkProcessRoundTrips(b *testing.B) {
	reusable := newProcWorld(b, server.Reusable, oneWayDelay)
	peer.Start(b, reusable.LatencyWorld, bob, "bobpass", oneWayDelay, commandTimeout)
	reusable.statusPassword(b)
	reusable.send(b, true)

	single := newProcWorld(b, server.SingleUse, oneWayDelay)
	peer.Start(b, single.LatencyWorld, bob, "bobpass", oneWayDelay, commandTimeout)
	single.statusPassword(b)
	single.sendPassword(b)

	shared := func(policy server.TicketPolicy) *procWorld {
		w := newProcWorld(b, policy, oneWayDelay)
		peer.Start(b, w.LatencyWorld, bob, "bobpass", oneWayDelay, commandTimeout)
		w.hold(b)
		w.status(b, false) // waits for the holder's list sync
		w.send(b, false)   // the holder learns a switchboard referral
		return w
	}
	sharedReusable, sharedSingle := shared(server.Reusable), shared(server.SingleUse)

	interleave(b, []*variant{
		{name: "status-reusable-ca", run: func(tb testing.TB) { reusable.status(tb, true) }},
		{name: "status-reusable-noca", run: func(tb testing.TB) { reusable.status(tb, false) }},
		{name: "status-single", run: single.statusPassword},
		{name: "status-shared-reusable", run: func(tb testing.TB) { sharedReusable.status(tb, false) }},
		{name: "status-shared-single", run: func(tb testing.TB) { sharedSingle.status(tb, false) }},
		{name: "send-reusable-ca", run: func(tb testing.TB) { reusable.send(tb, true) }},
		{name: "send-reusable-noca", run: func(tb testing.TB) { reusable.send(tb, false) }},
		{name: "send-single", run: single.sendPassword},
		{name: "send-shared-reusable", run: func(tb testing.TB) { sharedReusable.send(tb, false) }},
		{name: "send-shared-single", run: func(tb testing.TB) { sharedSingle.send(tb, false) }},
	})
}
