package passport

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"msn/proto/secret"
)

// answer is what the fuzzed Passport server sends: the nexus's
// PassportURLs, then for every login request a status, three headers and
// a body.
type answer struct {
	urls, authInfo, wwwAuth, location, body string
	status                                  int
}

// answerStatuses are the statuses the fuzzed login server picks from.
var answerStatuses = []int{200, 302, 401, 100, 301, 307, 400, 403, 500, 503}

// FuzzPassportAnswers runs a whole Passport login against a nexus and a
// login server whose answers come from the fuzzer: it must end within its
// deadline, with a ticket that is valid or a classified error that holds
// neither the password nor the server's ticket, after a bounded number of
// requests, and only to hosts the policy allows.
func FuzzPassportAnswers(f *testing.F) {
	ok := "Passport1.4 da-status=success,tname=MSPAuth,from-PP='" + fakeTicket + "',ru=http://messenger.msn.com"
	urls := "DARealm=Passport.Net,DALogin=login.example.com/login2.srf,DAReg=x,ConfigVersion=15"
	for _, a := range []answer{
		{urls, ok, "", "", "", 0},
		{urls, "", "Passport1.4 da-status=failed,cbtxt=Type%20your%20" + fakePassword, "", "", 2},
		{urls, "Passport1.4 da-status=redir", "", "https://login.example.com/next", "", 1},
		{urls, "Passport1.4 da-status=redir", "", "https://evil.test/x", "", 1},
		{urls, "Passport1.4 da-status=redir", "", "http://login.example.com/x", "", 1},
		{urls, "", "", "", "Authentication-Info: " + ok, 3},
		{urls, "Passport1.4 da-status=success,from-PP='t=a\r\nb'", "", "", "", 0},
		{urls, "Passport1.4 da-status=success,from-PP='" + strings.Repeat("A", 5000) + "'", "", "", "", 0},
		{"DALogin=http://login.example.com/login2.srf", ok, "", "", "", 0},
		{"DALogin=evil.test/login2.srf", ok, "", "", "", 0},
		{"", ok, "", "", "", 0},
		{urls, "", "", "", strings.Repeat("x", 100000), 8},
	} {
		f.Add(a.urls, a.authInfo, a.wwwAuth, a.location, a.body, uint8(a.status))
	}
	var mu sync.Mutex
	var cur answer
	var requests int
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		a := cur
		requests++
		mu.Unlock()
		if r.URL.Path == "/rdr/pprdr.asp" {
			w.Header().Set("PassportURLs", a.urls)
			return
		}
		for k, v := range map[string]string{"Authentication-Info": a.authInfo, "WWW-Authenticate": a.wwwAuth, "Location": a.location} {
			if v != "" {
				w.Header().Set(k, v)
			}
		}
		w.WriteHeader(a.status)
		io.WriteString(w, a.body)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	f.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	addr := srv.Listener.Addr().String()
	// One client for every input, so that its TLS connections are
	// reused: a handshake per input would be most of the work.
	c := New(testNexus, pool)
	f.Cleanup(c.CloseIdle)
	var hosts []string
	var hmu sync.Mutex
	c.dial = func(ctx context.Context, network, host string) (net.Conn, error) {
		hmu.Lock()
		hosts = append(hosts, host)
		hmu.Unlock()
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}

	f.Fuzz(func(t *testing.T, urls, authInfo, wwwAuth, location, body string, status uint8) {
		mu.Lock()
		cur = answer{urls, authInfo, wwwAuth, location, body, answerStatuses[int(status)%len(answerStatuses)]}
		requests = 0
		mu.Unlock()
		c.LoginURL = ""
		hmu.Lock()
		hosts = hosts[:0]
		hmu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		done := make(chan struct{})
		var tk secret.String
		var err error
		go func() {
			defer close(done)
			tk, err = c.Login(ctx, "alice@example.com", secret.New(fakePassword), testChallenge)
		}()
		select {
		case <-done:
		case <-time.After(7 * time.Second):
			t.Fatal("login still running after its deadline")
		}
		if err == nil && !ValidTicket(tk.Reveal()) {
			t.Fatalf("invalid ticket accepted")
		}
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("login waited for its deadline: %v", err)
			}
			var ne *NetError
			if !errors.As(err, &ne) && !errors.Is(err, ErrAuthFailed) && !errors.Is(err, ErrMalformed) &&
				!errors.Is(err, ErrInsecureURL) && !errors.Is(err, ErrHostNotAllowed) &&
				!errors.Is(err, ErrTooManyRedirects) && !errors.Is(err, ErrBadTicket) {
				t.Fatalf("unclassified error %T: %v", err, err)
			}
			for _, s := range []string{fakePassword, "s3cr3t", "5199a62a"} {
				if strings.Contains(err.Error(), s) {
					t.Fatalf("error leaks a secret: %q", err)
				}
			}
		}
		mu.Lock()
		n := requests
		mu.Unlock()
		// The nexus twice (a login URL may be rediscovered once), the
		// login server, MaxRedirects redirects, each perhaps once more.
		if limit := 2 * (2 + 1 + MaxRedirects); n > limit {
			t.Fatalf("%d requests, more than %d", n, limit)
		}
		hmu.Lock()
		defer hmu.Unlock()
		for _, h := range hosts {
			host, portText, _ := net.SplitHostPort(h)
			port, _ := strconv.Atoi(portText)
			if host != "nexus.example.com" && !c.hostAllowed(normalHost(host), port) {
				t.Fatalf("dialled %q", h)
			}
		}
	})
}
