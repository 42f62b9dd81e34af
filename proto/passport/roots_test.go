package passport

import (
	"context"
	"crypto/x509"
	"errors"
	"sync/atomic"
	"testing"

	"msn/proto/secret"
)

// countRoots makes c's system roots pool, counting how often it is asked
// for.
func countRoots(c *Client, pool *x509.CertPool, err error) *atomic.Int32 {
	var n atomic.Int32
	c.systemRoots = func() (*x509.CertPool, error) {
		n.Add(1)
		return pool, err
	}
	return &n
}

func TestSystemRootsWaitForAHandshake(t *testing.T) {
	fs := newFakeServer(t, nexusHandler("login.example.com/login2.srf", okLogin))
	c := fs.client(t, testNexus)
	loads := countRoots(c, x509.NewCertPool(), nil)
	c.LoginURL = "https://login.example.com/login2.srf"
	if n := loads.Load(); n != 0 {
		t.Fatalf("system roots asked for %d times before any connection", n)
	}
	if _, err := c.Login(context.Background(), "alice@example.com", secret.New(fakePassword), testChallenge); err != nil {
		t.Fatal(err)
	}
	if n, conns := loads.Load(), fs.conns.Load(); n == 0 || n != conns {
		t.Fatalf("system roots asked for %d times over %d connections", n, conns)
	}
}

func TestSystemRootsStillTrusted(t *testing.T) {
	fs := newFakeServer(t, nexusHandler("login.example.com/login2.srf", okLogin))
	system := x509.NewCertPool()
	system.AddCert(fs.srv.Certificate())
	c := New(testNexus, x509.NewCertPool()) // extra roots that do not hold the server's CA
	c.dial = fs.client(t, testNexus).dial
	defer c.CloseIdle()
	countRoots(c, system, nil)
	tk, err := c.Login(context.Background(), "alice@example.com", secret.New(fakePassword), testChallenge)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Reveal() != fakeTicket {
		t.Fatalf("ticket = %q", tk.Reveal())
	}
}

func TestNeitherPoolTrustsTheServer(t *testing.T) {
	fs := newFakeServer(t, nexusHandler("login.example.com/login2.srf", okLogin))
	c := New(testNexus, x509.NewCertPool())
	c.dial = fs.client(t, testNexus).dial
	defer c.CloseIdle()
	countRoots(c, x509.NewCertPool(), nil)
	_, err := c.Login(context.Background(), "alice@example.com", secret.New(fakePassword), testChallenge)
	var ne *NetError
	if !errors.As(err, &ne) || ne.Timeout() || ne.Dial() {
		t.Fatalf("err = %v", err)
	}
	if len(fs.requests()) != 0 {
		t.Fatal("request sent over an unverified connection")
	}
}

func TestUnreadableSystemRootsLeaveTheExtraRoots(t *testing.T) {
	fs := newFakeServer(t, nexusHandler("login.example.com/login2.srf", okLogin))
	c := fs.client(t, testNexus)
	countRoots(c, nil, errors.New("no system roots here"))
	if _, err := c.Login(context.Background(), "alice@example.com", secret.New(fakePassword), testChallenge); err != nil {
		t.Fatal(err)
	}
}
