package commands

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"msn/keyring"
	"msn/proto/msntest"
	"msn/proto/server"
)

// oneWayDelay is the latency the benchmark proxies add in each direction.
const oneWayDelay = 25 * time.Millisecond

// newLatencyWorld starts a server reached only through latency proxies
// that add oneWay each way (see msntest.LatencyWorld), and a test world
// whose commands go through them.
func newLatencyWorld(tb testing.TB, oneWay time.Duration) (*testWorld, *msntest.LatencyWorld) {
	tb.Helper()
	lw := msntest.NewLatencyProxies(tb, oneWay)
	w := newTestWorld(tb, lw.Advertise(server.Config{Accounts: server.DemoAccounts(), Policy: server.Reusable}))
	lw.Front(w.srv)
	w.nsAddr, w.nexus = lw.NS.Addr(), lw.NexusURL()
	return w, lw
}

// sendPing runs msn send of "ping" from alice to bob.
func sendPing(ctx context.Context, w *testWorld) error {
	env, _, stderr := w.env("alice@example.com", strings.NewReader(""))
	err := runSend(ctx, env, sendOptions{Recipients: []string{"bob@example.com"}, Text: "ping", HasText: true,
		Window: sendWindow, Session: w.session("alice@example.com")})
	if err != nil {
		return fmt.Errorf("send: %w; %s", err, stderr)
	}
	return nil
}

// reportRoundTrips reports the time of one operation in round trips of
// the proxies.
func reportRoundTrips(b *testing.B, elapsed time.Duration) {
	b.ReportMetric(elapsed.Seconds()/float64(b.N)/(2*oneWayDelay).Seconds(), "round-trips")
}

// BenchmarkSendRoundTrips measures msn send of one message to a contact
// who is listening, with a cached ticket, through proxies that add 25 ms
// each way, from the start of the command to its exit, in round trips
// (wall time divided by 50 ms). The contact's joining (the invitation
// reaching it, its connection to the switchboard and its answer) is
// included. "naive" does the same one command at a time.
func BenchmarkSendRoundTrips(b *testing.B) {
	w, _ := newLatencyWorld(b, oneWayDelay)
	w.listening(b, "bob@example.com")
	ctx := context.Background()
	send := func() {
		if err := sendPing(ctx, w); err != nil {
			b.Fatal(err)
		}
	}
	send() // caches the ticket, the server and the contact list
	b.Run("msn-send", func(b *testing.B) {
		start := time.Now()
		for i := 0; i < b.N; i++ {
			send()
		}
		reportRoundTrips(b, time.Since(start))
	})
	b.Run("naive", func(b *testing.B) {
		store, err := keyring.Open(keyring.Config{Mode: keyring.ModeFile, StateDir: filepath.Join(w.dir, "state", "msn")})
		if err != nil {
			b.Fatal(err)
		}
		acct := store.Account("alice@example.com", w.nsAddr)
		t, err := acct.Ticket()
		if err != nil {
			b.Fatal(err)
		}
		st, _ := acct.State()
		start := time.Now()
		for i := 0; i < b.N; i++ {
			if err := naiveSend(w.nsAddr, t.Value.Reveal(), st.ListVersion); err != nil {
				b.Fatal(err)
			}
		}
		reportRoundTrips(b, time.Since(start))
	})
}

// naiveConn speaks one command at a time.
type naiveConn struct {
	nc   net.Conn
	br   *bufio.Reader
	trID int
}

func dialNaive(addr string) (*naiveConn, error) {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	_ = nc.SetDeadline(time.Now().Add(30 * time.Second))
	return &naiveConn{nc: nc, br: bufio.NewReader(nc)}, nil
}

// ask sends one command (with payload, if any) and reads lines until one
// starts with want, skipping what the server sends on its own.
func (c *naiveConn) ask(verb, args, payload, want string) ([]string, error) {
	c.trID++
	line := fmt.Sprintf("%s %d %s", verb, c.trID, args)
	if payload != "" {
		line += fmt.Sprintf(" %d\r\n%s", len(payload), payload)
	} else {
		line += "\r\n"
	}
	if _, err := c.nc.Write([]byte(line)); err != nil {
		return nil, err
	}
	return c.await(want)
}

// await reads lines until one starts with want.
func (c *naiveConn) await(want string) ([]string, error) {
	for {
		line, err := c.br.ReadString('\n')
		if err != nil {
			return nil, err
		}
		f := strings.Fields(line)
		if len(f) > 0 && f[0] == want {
			return f, nil
		}
		if len(f) > 0 && len(f[0]) == 3 && f[0][0] >= '0' && f[0][0] <= '9' {
			return nil, fmt.Errorf("server error %s", strings.TrimSpace(line))
		}
	}
}

// bye says goodbye and waits for the server to hang up.
func (c *naiveConn) bye() {
	_, _ = c.nc.Write([]byte("OUT\r\n"))
	_, _ = c.await("never")
	c.nc.Close()
}

// naiveSend sends one message the naive way: every command waits for
// its reply before the next goes out.
func naiveSend(nsAddr, ticket string, listVersion int) error {
	ns, err := dialNaive(nsAddr)
	if err != nil {
		return err
	}
	defer ns.nc.Close()
	steps := [][4]string{
		{"VER", "MSNP8 CVR0", "", "VER"},
		{"CVR", "0x0409 win 4.10 i386 MSNMSGR 5.0.0544 MSMSGS alice@example.com", "", "CVR"},
		{"USR", "TWN I alice@example.com", "", "USR"},
		{"USR", "TWN S " + ticket, "", "USR"},
		{"SYN", fmt.Sprint(listVersion), "", "SYN"},
		{"CHG", "NLN 0", "", "CHG"},
	}
	for _, s := range steps {
		if _, err := ns.ask(s[0], s[1], s[2], s[3]); err != nil {
			return fmt.Errorf("%s: %w", s[0], err)
		}
	}
	xfr, err := ns.ask("XFR", "SB", "", "XFR")
	if err != nil || len(xfr) < 6 {
		return fmt.Errorf("XFR: %v %v", xfr, err)
	}
	sb, err := dialNaive(xfr[3])
	if err != nil {
		return err
	}
	defer sb.nc.Close()
	if _, err := sb.ask("USR", "alice@example.com "+xfr[5], "", "USR"); err != nil {
		return fmt.Errorf("SB USR: %w", err)
	}
	if _, err := sb.ask("CAL", "bob@example.com", "", "CAL"); err != nil {
		return fmt.Errorf("CAL: %w", err)
	}
	if _, err := sb.await("JOI"); err != nil {
		return fmt.Errorf("JOI: %w", err)
	}
	msg := "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=Arial; EF=; CO=0; CS=0; PF=22\r\n\r\nping"
	if _, err := sb.ask("MSG", "A", msg, "ACK"); err != nil {
		return fmt.Errorf("MSG: %w", err)
	}
	sb.bye()
	ns.bye()
	return nil
}

// benchStall bounds how long BenchmarkSendInteractive waits while the
// listener receives nothing. Should a line be lost after the server
// acknowledged it (a recipient that stops reading for longer than the
// server's 10 s write bound is dropped with what was queued for it),
// listen would never reach its count, and the test binary's -timeout
// does not cover benchmarks: without this bound the run would wait for
// ever.
const benchStall = 10 * time.Second

// errBenchStalled ends a run of BenchmarkSendInteractive that stalled.
var errBenchStalled = errors.New("no line reached the listener for " + benchStall.String())

// BenchmarkSendInteractive sends 10,000 lines with send -i to a listen
// on loopback, with up to 32 messages awaiting their acknowledgement and
// with one at a time, and checks that every line arrived, in order.
func BenchmarkSendInteractive(b *testing.B) {
	const lines = 10000
	var input strings.Builder
	var want strings.Builder
	for i := 1; i <= lines; i++ {
		fmt.Fprintf(&input, "line %05d\n", i)
		fmt.Fprintf(&want, "alice@example.com: line %05d\n", i)
	}
	for _, window := range []int{sendWindow, 1} {
		b.Run(fmt.Sprintf("window-%d", window), func(b *testing.B) {
			w := newTestWorld(b, server.Config{})
			var elapsed time.Duration
			for i := 0; i < b.N; i++ {
				ctx, cancel := context.WithCancelCause(context.Background())
				out, listenErr, wait := w.listenFull(ctx, "bob@example.com", listenOptions{Count: lines}, false)
				stopWatch := watchProgress(out, benchStall, cancel)
				env, _, stderr := w.env("alice@example.com", strings.NewReader(input.String()))
				start := time.Now()
				err := runSend(ctx, env, sendOptions{Recipients: []string{"bob@example.com"}, Interactive: true,
					Window: window, Session: w.session("alice@example.com")})
				listened := err == nil
				if listened {
					err = wait()
				}
				elapsed += time.Since(start)
				stopWatch()
				cancel(nil)
				if !listened {
					_ = wait() // it ends with ctx
				}
				if err != nil {
					b.Fatalf("%v (%v); the listener got %d of %d lines; send: %q; listen: %q",
						err, context.Cause(ctx), strings.Count(out.String(), "\n"), lines, stderr, listenErr)
				}
				if got := out.String(); got != want.String() {
					b.Fatalf("the listener got %d lines, not every line in order", strings.Count(got, "\n"))
				}
			}
			b.ReportMetric(float64(lines*b.N)/elapsed.Seconds(), "msgs/s")
		})
	}
}

// watchProgress cancels with errBenchStalled once out has not grown for
// stall; the returned function stops watching and waits for the watcher
// to end.
func watchProgress(out *msntest.SyncBuffer, stall time.Duration, cancel context.CancelCauseFunc) (stop func()) {
	done, ended := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(ended)
		tick := time.NewTicker(stall / 20)
		defer tick.Stop()
		size, since := -1, time.Now()
		for {
			select {
			case <-done:
				return
			case now := <-tick.C:
				if n := len(out.String()); n != size {
					size, since = n, now
				} else if now.Sub(since) >= stall {
					cancel(errBenchStalled)
					return
				}
			}
		}
	}()
	return func() {
		close(done)
		<-ended
	}
}
