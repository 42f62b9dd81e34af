//go:build linux

package share

import (
	"context"
	"crypto/x509"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"msn/proto"
	"msn/proto/msntest"
	"msn/proto/passport"
	"msn/proto/server"
)

// testBackend is a live session for a Holder: alice signed in to the
// project's local server.
type testBackend struct {
	ns   *proto.Notification
	gate *gate

	// readyErr is what Ready returns; readyIn, when set, is told each
	// Ready, which then waits for readyOut.
	readyErr          error
	readyIn, readyOut chan struct{}

	mu           sync.Mutex
	applied      []*proto.ListChange
	ready        int
	allowPrivate bool
}

func (b *testBackend) NS() *proto.Notification { return b.ns }

func (b *testBackend) Ready(ctx context.Context) error {
	b.mu.Lock()
	b.ready++
	b.mu.Unlock()
	if b.readyIn != nil {
		b.readyIn <- struct{}{}
		select {
		case <-b.readyOut:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return b.readyErr
}

func (b *testBackend) Welcome() Welcome {
	b.mu.Lock()
	defer b.mu.Unlock()
	return Welcome{
		Account:      "alice@example.com",
		Server:       "local",
		Handle:       "alice@example.com",
		FriendlyName: "Alice",
		Protocol:     proto.MSNP8,
		AllowPrivate: b.allowPrivate,
		Presence:     []Seen{{Email: "bob@example.com", Name: "Bob", Status: proto.StatusBusy}},
	}
}

func (b *testBackend) Applied(ch *proto.ListChange) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.applied = append(b.applied, ch)
}

func (b *testBackend) appliedChanges() []*proto.ListChange {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]*proto.ListChange(nil), b.applied...)
}

func (b *testBackend) readyCalls() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ready
}

// newIdleBackend is a backend with no notification connection, for
// tests that make no requests.
func newIdleBackend() *testBackend { return &testBackend{} }

// signIn starts the local server and signs alice in to it, through a
// gate that can hold back what she sends.
func signIn(t *testing.T) *testBackend {
	t.Helper()
	srv, err := server.New(server.Config{Accounts: server.DemoAccounts(), Policy: server.Reusable})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(srv.CACertPEM())
	pp := passport.New(srv.NexusURL(), roots)
	t.Cleanup(pp.CloseIdle)
	g := &gate{held: make(chan struct{}, 1)}
	res, err := proto.Login(msntest.Context(t), proto.LoginConfig{
		Server: srv.NSAddr(), Email: "alice@example.com", Password: msntest.Password("alicepass"), Passport: pp,
		Options: proto.Options{Dial: g.dial},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.NS.Close() })
	return &testBackend{ns: res.NS, gate: g}
}

// gate wraps the notification connection: once held, what is written is
// swallowed, so that a request stays in flight until it is canceled.
type gate struct {
	hold atomic.Bool
	held chan struct{} // signalled when a write is swallowed
}

func (g *gate) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return &gateConn{Conn: c, g: g}, nil
}

type gateConn struct {
	net.Conn
	g *gate
}

func (c *gateConn) Write(b []byte) (int, error) {
	if c.g.hold.Load() {
		select {
		case c.g.held <- struct{}{}:
		default:
		}
		return len(b), nil
	}
	return c.Conn.Write(b)
}

// waitHeld waits until a request was swallowed by the gate.
func (g *gate) waitHeld(t *testing.T) {
	t.Helper()
	select {
	case <-g.held:
	case <-time.After(5 * time.Second):
		t.Fatal("no request reached the server")
	}
}

// events records what a client's handler is given.
type events struct {
	ch chan proto.Event
}

func newEvents() *events { return &events{ch: make(chan proto.Event, 4096)} }

func (e *events) handle(ev proto.Event) {
	select {
	case e.ch <- ev:
	default:
		panic("test: too many events")
	}
}

// next waits for the next event that match accepts, failing the test on
// a stall; the events skipped are returned too.
func (e *events) next(t *testing.T, match func(proto.Event) bool) (proto.Event, []proto.Event) {
	t.Helper()
	var skipped []proto.Event
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev := <-e.ch:
			if match(ev) {
				return ev, skipped
			}
			skipped = append(skipped, ev)
		case <-timeout:
			t.Fatalf("no matching event; saw %v", skipped)
			return nil, nil
		}
	}
}

// pending returns the events recorded and not yet read.
func (e *events) pending() []proto.Event {
	var evs []proto.Event
	for {
		select {
		case ev := <-e.ch:
			evs = append(evs, ev)
		default:
			return evs
		}
	}
}

// waitFor polls cond, which the holder makes true on its own goroutines,
// until a deadline.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func isPresenceOf(email string) func(proto.Event) bool {
	return func(ev proto.Event) bool {
		p, ok := ev.(*proto.Presence)
		return ok && p.Email == email
	}
}

func isOffline(email string) func(proto.Event) bool {
	return func(ev proto.Event) bool {
		p, ok := ev.(*proto.Offline)
		return ok && p.Email == email
	}
}

// closeHolder closes h with reason, failing the test if Close stalls.
func closeHolder(t *testing.T, h *Holder, reason error) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.Close(reason)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Holder.Close did not return")
	}
}
