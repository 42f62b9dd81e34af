package passport

import (
	"context"
	"crypto/x509"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// fakePassword is the password every login test uses.
const fakePassword = "s3cr3t-Pa55,w=d%"

// fakeTicket is the ticket the fake login server hands out.
const fakeTicket = "t=5199a62a82c65f85fc36$!*&p=xyz"

// seen is one request received by the fake Passport server.
type seen struct {
	Method, Host, Path, Auth string
}

// fakeServer is an httptest TLS server that serves every host name: the
// client's dial hook sends all connections to it.
type fakeServer struct {
	srv   *httptest.Server
	conns atomic.Int32
	mu    sync.Mutex
	reqs  []seen
}

// newFakeServer starts a TLS server running h and counting connections.
func newFakeServer(t *testing.T, h http.HandlerFunc) *fakeServer {
	t.Helper()
	fs := &fakeServer{}
	fs.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		fs.reqs = append(fs.reqs, seen{r.Method, r.Host, r.URL.RequestURI(), r.Header.Get("Authorization")})
		fs.mu.Unlock()
		h(w, r)
	}))
	fs.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	fs.srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			fs.conns.Add(1)
		}
	}
	fs.srv.StartTLS()
	t.Cleanup(fs.srv.Close)
	return fs
}

// requests returns a copy of the requests seen so far.
func (fs *fakeServer) requests() []seen {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]seen(nil), fs.reqs...)
}

// client returns a Client for nexus that trusts the server's certificate
// and dials the server whatever the host name.
func (fs *fakeServer) client(t *testing.T, nexus string) *Client {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AddCert(fs.srv.Certificate())
	c := New(nexus, pool)
	addr := fs.srv.Listener.Addr().String()
	c.dial = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	t.Cleanup(c.CloseIdle)
	return c
}

// nexusHandler answers the nexus with dalogin and the login with ok.
func nexusHandler(dalogin string, login http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/rdr/pprdr.asp" {
			w.Header().Set("PassportURLs", "DARealm=Passport.Net,DALogin="+dalogin+",DAReg=x,ConfigVersion=15")
			return
		}
		login(w, r)
	}
}

// okLogin answers every login with fakeTicket.
func okLogin(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") == "" {
		w.Header().Set("WWW-Authenticate", "Passport1.4 da-status=failed")
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	w.Header().Set("Authentication-Info", "Passport1.4 da-status=success,tname=MSPAuth,from-PP='"+fakeTicket+"',ru=http://messenger.msn.com")
}

// noLeak fails the test when err's message holds the password or the ticket.
func noLeak(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	for _, s := range []string{fakePassword, "s3cr3t", fakeTicket, "5199a62a"} {
		if strings.Contains(msg, s) {
			t.Fatalf("error leaks a secret: %q", msg)
		}
	}
}

const (
	testNexus     = "https://nexus.example.com/rdr/pprdr.asp"
	testChallenge = "ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1"
)
