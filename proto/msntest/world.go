package msntest

import (
	"crypto/x509"
	"net/url"
	"testing"
	"time"

	"msn/proto/server"
)

// settleTimeout bounds Settle's wait for the connections of a finished
// operation to close.
const settleTimeout = 2 * time.Second

// LatencyWorld is a local server reached only through latency proxies
// that share one RoundClock: one in front of the notification server,
// one in front of the switchboard (the address referrals and invitations
// give) and one in front of Passport (the login URL the nexus gives).
type LatencyWorld struct {
	Server           *server.Server
	NS, SB, Passport *LatencyProxy
	Clock            *RoundClock
}

// NewLatencyWorld starts a server from cfg behind proxies that add oneWay
// in each direction; the test's cleanup stops them all.
func NewLatencyWorld(tb testing.TB, cfg server.Config, oneWay time.Duration) *LatencyWorld {
	tb.Helper()
	w := NewLatencyProxies(tb, oneWay)
	srv, err := server.New(w.Advertise(cfg))
	if err != nil {
		tb.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { srv.Close() })
	w.Front(srv)
	return w
}

// NewLatencyProxies starts the proxies of a world with no target yet, for
// a server started elsewhere: start it with Advertise's config, then call
// Front.
func NewLatencyProxies(tb testing.TB, oneWay time.Duration) *LatencyWorld {
	tb.Helper()
	w := &LatencyWorld{Clock: new(RoundClock)}
	for _, p := range []**LatencyProxy{&w.NS, &w.SB, &w.Passport} {
		proxy, err := w.Clock.NewProxy("", oneWay)
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { proxy.Close() })
		*p = proxy
	}
	return w
}

// Advertise returns cfg with the Passport and switchboard proxies as the
// addresses the server gives out.
func (w *LatencyWorld) Advertise(cfg server.Config) server.Config {
	cfg.AdvertiseLogin = w.Passport.Addr()
	cfg.AdvertiseSB = w.SB.Addr()
	return cfg
}

// Front points the proxies at srv, which must have been started with
// Advertise's config.
func (w *LatencyWorld) Front(srv *server.Server) {
	w.Server = srv
	u, _ := url.Parse(srv.NexusURL())
	w.Passport.SetTarget(u.Host)
	w.SB.SetTarget(srv.SBAddr())
	w.NS.SetTarget(srv.NSAddr())
}

// NexusURL is the Passport nexus, through the proxy.
func (w *LatencyWorld) NexusURL() string {
	u, _ := url.Parse(w.Server.NexusURL())
	u.Host = w.Passport.Addr()
	return u.String()
}

// Roots trusts the server's certificates.
func (w *LatencyWorld) Roots() *x509.CertPool {
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(w.Server.CACertPEM())
	return roots
}

// Settle waits until every connection through the proxies has closed,
// then resets the clock, so that the next operation is counted from a
// clean start. The test fails if connections stay open.
func (w *LatencyWorld) Settle(tb testing.TB) {
	tb.Helper()
	deadline := time.Now().Add(settleTimeout)
	for !w.NS.idle() || !w.SB.idle() || !w.Passport.idle() {
		if time.Now().After(deadline) {
			tb.Fatalf("connections through the latency proxies still open after %v", settleTimeout)
		}
		time.Sleep(time.Millisecond)
	}
	w.Clock.Reset()
}

// SettleShared is Settle for a world where a shared session's
// notification connection stays open: it waits until every switchboard
// and Passport connection has closed, then starts the count again,
// counting the connections still open (see RoundClock.Rebase). Call it
// when the shared session is idle.
func (w *LatencyWorld) SettleShared(tb testing.TB) {
	tb.Helper()
	deadline := time.Now().Add(settleTimeout)
	for !w.SB.idle() || !w.Passport.idle() {
		if time.Now().After(deadline) {
			tb.Fatalf("switchboard or Passport connections through the latency proxies still open after %v", settleTimeout)
		}
		time.Sleep(time.Millisecond)
	}
	w.Clock.Rebase()
}

// Rounds is the number of round trips counted since the last Settle.
func (w *LatencyWorld) Rounds() int { return w.Clock.Rounds() }
