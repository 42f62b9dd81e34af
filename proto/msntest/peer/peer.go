// Package peer is a contact for tests that count round trips: an account
// signed in through proto behind round-counting proxies of its own, that
// answers every invitation and counts the texts it receives. Its proxies
// count on a clock of their own, so that a test counts the round trips
// of the command it measures apart from the contact's join.
package peer

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

// Contact is a signed-in, online account answering every invitation.
type Contact struct {
	// Clock counts the round trips through the contact's own proxies:
	// one in front of the notification server, and one in front of the
	// switchboard, which the contact dials instead of the address
	// invitations give.
	Clock *msntest.RoundClock

	email   string
	timeout time.Duration
	res     *proto.LoginResult

	mu    sync.Mutex
	texts int
	sbs   []*switchboard.Switchboard
	wake  chan struct{}
	stop  chan struct{}
	wg    sync.WaitGroup
	once  sync.Once
}

// Start signs email in to lw's server with password, online, behind
// proxies that add oneWay in each direction; every wait of the contact
// is bounded by timeout. The contact signs out at Close or when the test
// ends.
func Start(tb testing.TB, lw *msntest.LatencyWorld, email, password string, oneWay, timeout time.Duration) *Contact {
	tb.Helper()
	c := &Contact{Clock: new(msntest.RoundClock), email: email, timeout: timeout,
		wake: make(chan struct{}, 1), stop: make(chan struct{})}
	ns, err := c.Clock.NewProxy(lw.Server.NSAddr(), oneWay)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ns.Close() })
	sb, err := c.Clock.NewProxy(lw.Server.SBAddr(), oneWay)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { sb.Close() })
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr == lw.SB.Addr() {
			addr = sb.Addr()
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	pc := passport.New(lw.Server.NexusURL(), lw.Roots())
	// The server's nexus names the Passport proxy, on another port, as
	// its login server: the host policy wants that port allowed.
	pc.LoginHosts = []string{lw.Passport.Addr()}
	defer pc.CloseIdle()
	rings := make(chan *proto.Ring, 4)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c.res, err = proto.Login(ctx, proto.LoginConfig{
		Server: ns.Addr(), Email: email, Passport: pc,
		Password: func(context.Context) (secret.String, error) { return secret.New(password), nil },
		Options: proto.Options{Dial: dial, Handler: func(ev proto.Event) {
			if r, ok := ev.(*proto.Ring); ok {
				select {
				case rings <- r:
				default: // more rings than are answered at once: left unanswered
				}
			}
		}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	if err := c.res.NS.SetStatus(ctx, proto.StatusOnline); err != nil {
		c.res.NS.Close()
		tb.Fatal(err)
	}
	c.wg.Add(1)
	go c.answer(rings)
	tb.Cleanup(c.Close)
	return c
}

// answer answers rings until the contact closes.
func (c *Contact) answer(rings <-chan *proto.Ring) {
	defer c.wg.Done()
	for {
		select {
		case r := <-rings:
			ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
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
func (c *Contact) event(ev switchboard.Event) {
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

// WaitFor waits until n texts have come in all, failing the test after
// the contact's timeout.
func (c *Contact) WaitFor(tb testing.TB, n int) {
	tb.Helper()
	deadline := time.After(c.timeout)
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
			tb.Fatalf("%s got %d texts, want %d", c.email, got, n)
		}
	}
}

// Close leaves every conversation and signs out; it may be called more
// than once.
func (c *Contact) Close() {
	c.once.Do(func() {
		close(c.stop)
		c.wg.Wait()
		ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
		defer cancel()
		c.mu.Lock()
		sbs := c.sbs
		c.mu.Unlock()
		for _, sb := range sbs {
			_ = sb.Leave(ctx)
		}
		_ = c.res.NS.Logout(ctx)
	})
}
