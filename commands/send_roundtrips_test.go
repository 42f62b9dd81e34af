package commands

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"msn/proto"
	"msn/proto/msntest"
	"msn/proto/passport"
	"msn/proto/secret"
	"msn/proto/switchboard"
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
	bob := newRoundTripContact(t, w, lw)
	defer bob.close()

	if err := sendPing(context.Background(), w); err != nil { // caches the ticket, the server and the list
		t.Fatal(err)
	}
	bob.waitFor(t, 1)
	lw.Settle(t)
	bob.clock.Reset()
	if err := sendPing(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	bob.waitFor(t, 2)
	checkRoundTrips(t, "msn send, cached, contact online (without the join)", lw.Rounds(), 8)
	checkRoundTrips(t, "the contact's join", bob.clock.Rounds(), 2)
}

// roundTripContact is bob, signed in through proto behind proxies of his
// own: one in front of the notification server, and one in front of the
// switchboard that his dialer uses instead of the address invitations
// give. He answers every invitation and counts the texts he receives.
type roundTripContact struct {
	clock *msntest.RoundClock
	res   *proto.LoginResult

	mu    sync.Mutex
	texts int
	sbs   []*switchboard.Switchboard
	wake  chan struct{}
	stop  chan struct{}
	wg    sync.WaitGroup
}

func newRoundTripContact(t *testing.T, w *testWorld, lw *msntest.LatencyWorld) *roundTripContact {
	t.Helper()
	c := &roundTripContact{clock: new(msntest.RoundClock), wake: make(chan struct{}, 1), stop: make(chan struct{})}
	ns, err := c.clock.NewProxy(w.srv.NSAddr(), roundTripDelay)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Close() })
	sb, err := c.clock.NewProxy(w.srv.SBAddr(), roundTripDelay)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr == lw.SB.Addr() {
			addr = sb.Addr()
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	pc := passport.New(w.srv.NexusURL(), lw.Roots())
	// The server's nexus names the Passport proxy, on another port, as
	// its login server: the host policy wants that port allowed.
	pc.LoginHosts = []string{lw.Passport.Addr()}
	defer pc.CloseIdle()
	rings := make(chan *proto.Ring, 4)
	ctx, cancel := context.WithTimeout(context.Background(), roundTripTimeout)
	defer cancel()
	c.res, err = proto.Login(ctx, proto.LoginConfig{
		Server: ns.Addr(), Email: "bob@example.com", Passport: pc,
		Password: func(context.Context) (secret.String, error) { return secret.New("bobpass"), nil },
		Options: proto.Options{Dial: dial, Handler: func(ev proto.Event) {
			if r, ok := ev.(*proto.Ring); ok {
				select {
				case rings <- r:
				default: // more rings than the test makes: left unanswered
				}
			}
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.res.NS.SetStatus(ctx, proto.StatusOnline); err != nil {
		c.res.NS.Close()
		t.Fatal(err)
	}
	c.wg.Add(1)
	go c.answer(rings)
	return c
}

// answer answers rings until the contact closes.
func (c *roundTripContact) answer(rings <-chan *proto.Ring) {
	defer c.wg.Done()
	for {
		select {
		case r := <-rings:
			ctx, cancel := context.WithTimeout(context.Background(), roundTripTimeout)
			sb, err := switchboard.Answer(ctx, c.res.NS, r, switchboard.Options{Handler: c.event})
			cancel()
			if err == nil {
				c.mu.Lock()
				c.sbs = append(c.sbs, sb)
				c.mu.Unlock()
			}
		case <-c.stop:
			return
		}
	}
}

// event counts texts.
func (c *roundTripContact) event(ev switchboard.Event) {
	if _, ok := ev.(*switchboard.IncomingMessage); ok {
		c.mu.Lock()
		c.texts++
		c.mu.Unlock()
		select {
		case c.wake <- struct{}{}:
		default:
		}
	}
}

// waitFor waits until n texts have come.
func (c *roundTripContact) waitFor(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(roundTripTimeout)
	for {
		c.mu.Lock()
		got := c.texts
		c.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-c.wake:
		case <-deadline:
			t.Fatalf("the contact got %d texts, want %d", got, n)
		}
	}
}

// close leaves every conversation and signs out.
func (c *roundTripContact) close() {
	close(c.stop)
	c.wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), roundTripTimeout)
	defer cancel()
	c.mu.Lock()
	sbs := c.sbs
	c.mu.Unlock()
	for _, sb := range sbs {
		_ = sb.Leave(ctx)
	}
	_ = c.res.NS.Logout(ctx)
}
