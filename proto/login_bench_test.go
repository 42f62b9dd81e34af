package proto

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"msn/proto/msntest"
	"msn/proto/passport"
	"msn/proto/secret"
	"msn/proto/server"
)

// oneWayDelay is the latency the benchmark proxies add in each direction.
const oneWayDelay = 25 * time.Millisecond

// newLatencyWorld starts a server with the demo accounts and the given
// ticket policy, reached only through latency proxies.
func newLatencyWorld(tb testing.TB, policy server.TicketPolicy, oneWay time.Duration) *msntest.LatencyWorld {
	tb.Helper()
	return msntest.NewLatencyWorld(tb, server.Config{Accounts: server.DemoAccounts(), Policy: policy}, oneWay)
}

// latencyLogin signs alice in the way the msn commands do, then syncs the
// list against the cached one, and returns the ticket and the list.
func latencyLogin(ctx context.Context, w *msntest.LatencyWorld, loginURL string, ticket secret.String, cached *ContactList) (secret.String, *ContactList, error) {
	pp := passport.New(w.NexusURL(), w.Roots())
	pp.LoginURL = loginURL
	defer pp.CloseIdle()
	res, err := Login(ctx, LoginConfig{Server: w.NS.Addr(), Email: "alice@example.com", Ticket: ticket,
		Password: msntest.Password("alicepass"), Passport: pp})
	if err != nil {
		return secret.String{}, nil, err
	}
	defer res.NS.Close()
	list, err := res.NS.Sync(ctx, cached)
	if err != nil {
		return secret.String{}, nil, err
	}
	return res.Ticket, list, nil
}

// loginLoop times b.N logins that start from the same cache.
func loginLoop(b *testing.B, w *msntest.LatencyWorld, loginURL string, ticket secret.String, cached *ContactList) {
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if _, _, err := latencyLogin(ctx, w, loginURL, ticket, cached); err != nil {
			b.Fatal(err)
		}
	}
	reportRoundTrips(b, start)
}

func reportRoundTrips(b *testing.B, start time.Time) {
	rt := time.Since(start).Seconds() / float64(b.N) / (2 * oneWayDelay).Seconds()
	b.ReportMetric(rt, "round-trips")
}

// BenchmarkLoginRoundTrips measures a whole sign-in, from nothing to a
// synced notification connection, through proxies that add 25 ms each
// way, in round trips (wall time divided by 50 ms). TCP and TLS
// handshakes are included.
func BenchmarkLoginRoundTrips(b *testing.B) {
	ctx := context.Background()
	b.Run("fresh-first-ever", func(b *testing.B) {
		w := newLatencyWorld(b, server.SingleUse, oneWayDelay)
		loginLoop(b, w, "", secret.String{}, nil)
	})
	b.Run("fresh", func(b *testing.B) {
		w := newLatencyWorld(b, server.SingleUse, oneWayDelay)
		_, list, err := latencyLogin(ctx, w, "", secret.String{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		loginLoop(b, w, w.Server.LoginURL(), secret.String{}, list)
	})
	b.Run("cached-ticket", func(b *testing.B) {
		w := newLatencyWorld(b, server.Reusable, oneWayDelay)
		ticket, list, err := latencyLogin(ctx, w, "", secret.String{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		loginLoop(b, w, w.Server.LoginURL(), ticket, list)
	})
	b.Run("naive", func(b *testing.B) {
		w := newLatencyWorld(b, server.SingleUse, oneWayDelay)
		start := time.Now()
		for i := 0; i < b.N; i++ {
			if err := naiveLogin(w); err != nil {
				b.Fatal(err)
			}
		}
		reportRoundTrips(b, start)
	})
}

// naiveLogin signs in one command at a time, caching nothing: a new TLS
// connection for the nexus and another for the login server, and a full
// list sync.
func naiveLogin(w *msntest.LatencyWorld) error {
	nc, err := net.Dial("tcp", w.NS.Addr())
	if err != nil {
		return err
	}
	defer nc.Close()
	br := bufio.NewReader(nc)
	ask := func(line string) ([]string, error) {
		if _, err := fmt.Fprintf(nc, "%s\r\n", line); err != nil {
			return nil, err
		}
		reply, err := br.ReadString('\n')
		return strings.Fields(reply), err
	}
	if _, err := ask("VER 1 MSNP8 CVR0"); err != nil {
		return err
	}
	if _, err := ask("CVR 2 " + cvrMSNP8 + " alice@example.com"); err != nil {
		return err
	}
	chal, err := ask("USR 3 TWN I alice@example.com")
	if err != nil || len(chal) < 5 {
		return fmt.Errorf("challenge: %v %v", chal, err)
	}
	get := func(u, auth string) (http.Header, error) {
		tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: w.Roots()}, DisableKeepAlives: true}
		defer tr.CloseIdleConnections()
		req, _ := http.NewRequest("GET", u, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := tr.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		resp.Body.Close()
		return resp.Header, nil
	}
	h, err := get(w.NexusURL(), "")
	if err != nil {
		return err
	}
	urls, err := passport.ParsePassportURLs(h.Get("PassportURLs"))
	if err != nil {
		return err
	}
	auth, err := passport.AuthorizationHeader("alice@example.com", secret.New("alicepass"), chal[4])
	if err != nil {
		return err
	}
	h, err = get(urls["DALogin"], auth)
	if err != nil {
		return err
	}
	_, ticket, err := passport.ParseAuthInfo(h.Get("Authentication-Info"))
	if err != nil {
		return err
	}
	if ok, err := ask("USR 4 TWN S " + ticket); err != nil || len(ok) < 2 || ok[2] != "OK" {
		return fmt.Errorf("login: %v %v", ok, err)
	}
	syn, err := ask("SYN 5 0")
	if err != nil || len(syn) < 4 {
		return fmt.Errorf("syn: %v %v", syn, err)
	}
	lists, _ := strconv.Atoi(syn[3])
	for seen := 0; seen < lists; {
		line, err := br.ReadString('\n')
		if err != nil {
			return err
		}
		if strings.HasPrefix(line, "LST ") {
			seen++
		}
	}
	return nil
}
