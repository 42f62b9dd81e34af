package bench

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

// contact is bob, signed in through proto in the test's process behind
// proxies of his own that count on a clock of his own: one in front of
// the notification server, and one in front of the switchboard, which
// his dialer uses instead of the address invitations give (the world's
// switchboard proxy, alice's). He answers every invitation and counts
// the texts he receives.
type contact struct {
	clock *msntest.RoundClock
	res   *proto.LoginResult

	mu    sync.Mutex
	texts int
	sbs   []*switchboard.Switchboard
	wake  chan struct{}
	stop  chan struct{}
	wg    sync.WaitGroup
}

// newContact signs bob in to w, online, until the end of the test.
func newContact(tb testing.TB, w *procWorld, oneWay time.Duration) *contact {
	tb.Helper()
	c := &contact{clock: new(msntest.RoundClock), wake: make(chan struct{}, 1), stop: make(chan struct{})}
	ns, err := c.clock.NewProxy(w.Server.NSAddr(), oneWay)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ns.Close() })
	sb, err := c.clock.NewProxy(w.Server.SBAddr(), oneWay)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { sb.Close() })
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr == w.SB.Addr() {
			addr = sb.Addr()
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	pc := passport.New(w.Server.NexusURL(), w.Roots())
	// The nexus names the Passport proxy, on another port, as its login
	// server: the host policy wants that port allowed.
	pc.LoginHosts = []string{w.Passport.Addr()}
	defer pc.CloseIdle()
	rings := make(chan *proto.Ring, 4)
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	c.res, err = proto.Login(ctx, proto.LoginConfig{
		Server: ns.Addr(), Email: bob, Passport: pc,
		Password: func(context.Context) (secret.String, error) { return secret.New("bobpass"), nil },
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
	tb.Cleanup(c.close)
	return c
}

// answer answers rings until the contact closes.
func (c *contact) answer(rings <-chan *proto.Ring) {
	defer c.wg.Done()
	for {
		select {
		case r := <-rings:
			ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
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
func (c *contact) event(ev switchboard.Event) {
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

// waitFor waits until n texts have come in all.
func (c *contact) waitFor(tb testing.TB, n int) {
	tb.Helper()
	deadline := time.After(commandTimeout)
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
			tb.Fatalf("%s got %d texts, want %d", bob, got, n)
		}
	}
}

// close leaves every conversation and signs out.
func (c *contact) close() {
	close(c.stop)
	c.wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	c.mu.Lock()
	sbs := c.sbs
	c.mu.Unlock()
	for _, sb := range sbs {
		_ = sb.Leave(ctx)
	}
	_ = c.res.NS.Logout(ctx)
}
