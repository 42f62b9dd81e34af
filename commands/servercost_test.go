package commands

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"msn/proto"
	"msn/proto/msntest"
	"msn/proto/msntest/peer"
	"msn/proto/passport"
	"msn/proto/secret"
	"msn/proto/server"
	"msn/proto/switchboard"
)

// costQuiet is how long the server's counters must stay still before an
// operation counts as finished: the last lines of a command that exited
// (its OUT, its BYE) may still be on their way.
const costQuiet = 60 * time.Millisecond

// costBound is the most an operation may cost the server: connections
// accepted by the dispatch, notification and switchboard servers, lines
// read plus lines written over every kind of connection, and Passport
// logins with single-use tickets. With reusable tickets an operation that
// is not fresh (login, or a first sign-in) may make no Passport login.
type costBound struct {
	conns, lines, logins int64
	fresh                bool
}

// costRow is what one operation cost the server; rounds is the round
// trips the operation's client waited, counted through the latency
// proxies, or -1 when its counterpart's traffic shares the proxies.
type costRow struct {
	what   string
	d      server.Stats
	rounds int
}

// costWorld runs msn commands in process as alice, the way main does,
// against a server (with a dispatch server) behind latency proxies, and
// records what each one cost the server.
type costWorld struct {
	*testWorld
	lw     *msntest.LatencyWorld
	policy server.TicketPolicy
	args   []string
	rows   []costRow
}

func newCostWorld(t *testing.T, policy server.TicketPolicy) *costWorld {
	t.Helper()
	lw := msntest.NewLatencyProxies(t, roundTripDelay)
	accounts := append(server.DemoAccounts(), server.Account{Email: "dave@example.com", Password: "davepass", Name: "Dave"})
	w := newTestWorld(t, lw.Advertise(server.Config{Accounts: accounts, Policy: policy, Dispatch: true}))
	lw.Front(w.srv)
	w.nsAddr, w.nexus = lw.NS.Addr(), lw.NexusURL()
	w.timeout = 5 * time.Second
	t.Setenv("HOME", w.dir)
	t.Setenv("MSN_PASSWORD_FILE", w.passwordFile("alice@example.com"))
	return &costWorld{testWorld: w, lw: lw, policy: policy, args: []string{"msn", "--server", w.nsAddr, "--nexus", w.nexus,
		"--ca-file", w.caFile, "--keyring", "file", "--timeout", w.timeout.String(), "--account", "alice@example.com"}}
}

// msn runs one msn command as alice over stdin and fails the test if it
// does not exit 0.
func (w *costWorld) msn(t *testing.T, stdin string, args ...string) {
	t.Helper()
	w.msnWith(t, w.args, stdin, args...)
}

func (w *costWorld) msnWith(t *testing.T, global []string, stdin string, args ...string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &Env{Stdout: &stdout, Stderr: &stderr, Stdin: strings.NewReader(stdin)}
	err := NewAppWithEnv(env).RunContext(context.Background(), append(append([]string{}, global...), args...))
	if code := Report(&stderr, err); code != 0 {
		t.Fatalf("msn %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
	}
}

// quiet waits until the server's counters stay still for costQuiet and
// returns them.
func (w *costWorld) quiet(t *testing.T) server.Stats {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	last := w.srv.Stats()
	still := time.Now()
	for time.Since(still) < costQuiet {
		if time.Now().After(deadline) {
			t.Fatal("the server's counters did not settle")
		}
		time.Sleep(5 * time.Millisecond)
		if now := w.srv.Stats(); now != last {
			last, still = now, time.Now()
		}
	}
	return last
}

// costMode says how an operation is measured.
type costMode int

const (
	// own: every connection through the proxies has closed before the
	// operation, and the round trips counted are its own.
	own costMode = iota
	// shared: msn up holds a session through the notification proxy;
	// the switchboard and Passport proxies are idle before the operation,
	// and the round trips counted are its own.
	shared
	// sides: the operation's counterpart talks through the proxies too
	// (msn listen, msn recvfile), so its round trips are not counted.
	sides
)

// measure runs op and records what it cost the server, failing the test
// if that is more than bound.
func (w *costWorld) measure(t *testing.T, what string, bound costBound, mode costMode, op func()) {
	t.Helper()
	switch mode {
	case own:
		w.lw.Settle(t)
	case shared:
		w.lw.SettleShared(t)
	}
	before := w.quiet(t)
	if mode == shared {
		w.lw.Clock.Rebase()
	} else {
		w.lw.Clock.Reset()
	}
	op()
	r := -1
	if mode != sides {
		r = w.lw.Rounds()
	}
	d := w.quiet(t).Sub(before)
	w.rows = append(w.rows, costRow{what: what, d: d, rounds: r})
	tot := d.Total()
	conns := d.DS.Accepted + d.NS.Accepted + d.SB.Accepted
	if conns > bound.conns || tot.LinesIn+tot.LinesOut > bound.lines {
		t.Errorf("%s: %d connections and %d lines, want at most %d and %d", what,
			conns, tot.LinesIn+tot.LinesOut, bound.conns, bound.lines)
	}
	logins := bound.logins
	if w.policy == server.Reusable && !bound.fresh {
		logins = 0
	}
	if d.Login > logins || d.HTTPS.Accepted > logins {
		t.Errorf("%s: %d Passport logins over %d connections, want at most %d", what, d.Login, d.HTTPS.Accepted, logins)
	}
	if bound.lines > 0 && tot.LinesIn+tot.LinesOut == 0 && tot.BytesIn == 0 {
		t.Errorf("%s: the server counted nothing", what)
	}
}

// table prints the rows as the README's table.
func (w *costWorld) table() string {
	var b strings.Builder
	b.WriteString("| operation | conns DS/NS/SB/HTTPS | Passport nexus/login | round trips | lines in/out | bytes in/out |\n")
	b.WriteString("|---|---|---|---|---|---|\n")
	for _, r := range w.rows {
		tot := r.d.Total()
		rounds := "—"
		if r.rounds >= 0 {
			rounds = fmt.Sprint(r.rounds)
		}
		fmt.Fprintf(&b, "| %s | %d/%d/%d/%d | %d/%d | %s | %d/%d | %d/%d |\n", r.what,
			r.d.DS.Accepted, r.d.NS.Accepted, r.d.SB.Accepted, r.d.HTTPS.Accepted,
			r.d.Nexus, r.d.Login, rounds, tot.LinesIn, tot.LinesOut, tot.BytesIn, tot.BytesOut)
	}
	return b.String()
}

// TestServerCost runs every msn command in process against the server,
// with single-use Passport tickets (as the revival servers issue) and with
// reusable ones, and fails when one costs the server more connections or
// lines than its bound. With -v it prints the README's "Server cost"
// table: connections by kind, Passport requests, the round trips the
// command waited, and lines and bytes each way, from the server's
// counters (server.Stats). Each command runs once before it is counted,
// so that the counts are those of a command run from cron again and
// again: the notification server, the list and what the server does with
// tickets are cached.
func TestServerCost(t *testing.T) {
	for _, shape := range []struct {
		name   string
		policy server.TicketPolicy
	}{{"single-use", server.SingleUse}, {"reusable", server.Reusable}} {
		t.Run(shape.name, func(t *testing.T) {
			w := newCostWorld(t, shape.policy)
			w.costOfCommands(t)
			t.Logf("tickets %s:\n%s", shape.name, w.table())
		})
	}
}

// costOfCommands measures each command in turn.
func (w *costWorld) costOfCommands(t *testing.T) {
	ctx := context.Background()
	// Dave signs in for the first time, through the dispatch server, with
	// nothing cached. His dispatch and notification connections do not go
	// through the proxies, so his round trips are not counted.
	dave := []string{"msn", "--server", w.srv.DSAddr(), "--nexus", w.nexus, "--ca-file", w.caFile, "--keyring", "file", "--allow-private-servers", "--timeout", w.timeout.String(), "--account", "dave@example.com"}
	w.measure(t, "login, first time, through the dispatch server", costBound{2, 24, 1, true}, sides, func() {
		w.msnWith(t, dave, "", "login", "--password-file", w.passwordFile("dave@example.com"))
	})
	w.measure(t, "login, first time, notification server given", costBound{1, 18, 1, true}, own, func() {
		w.msn(t, "", "login")
	})
	w.msn(t, "", "contacts", "list") // learns whether tickets are reused

	one := func(what string, b costBound, args ...string) {
		t.Helper()
		w.msn(t, "", args...) // the first run caches the list
		w.measure(t, what, b, own, func() { w.msn(t, "", args...) })
	}
	one("login", costBound{1, 14, 1, true}, "login")
	one("status", costBound{1, 18, 1, false}, "status")
	w.measure(t, "status set away (no session held: saved for the next sign-in)", costBound{0, 0, 0, false}, own, func() {
		w.msn(t, "", "status", "set", "away")
	})
	one("contacts list", costBound{1, 14, 1, false}, "contacts", "list")
	w.measure(t, "contacts add", costBound{1, 18, 1, false}, own, func() { w.msn(t, "", "contacts", "add", "dave@example.com") })
	w.measure(t, "contacts block", costBound{1, 23, 1, false}, own, func() { w.msn(t, "", "contacts", "block", "dave@example.com") })
	w.measure(t, "contacts remove", costBound{1, 16, 1, false}, own, func() { w.msn(t, "", "contacts", "remove", "dave@example.com") })
	one("profile", costBound{1, 14, 1, false}, "profile")

	bob := peer.Start(t, w.lw, "bob@example.com", "bobpass", roundTripDelay, roundTripTimeout)
	texts := 0
	sent := func(n int) {
		texts += n
		bob.WaitFor(t, texts)
	}
	w.msn(t, "", "send", "bob@example.com", "warm")
	sent(1)
	w.measure(t, "send, one message (with the contact's join)", costBound{3, 38, 1, false}, own, func() {
		w.msn(t, "", "send", "bob@example.com", "ping")
		sent(1)
	})
	const lines = 10
	w.measure(t, fmt.Sprintf("send -i, %d lines (with the contact's join)", lines), costBound{3, 66, 1, false}, own, func() {
		w.msn(t, strings.Repeat("a line\n", lines), "send", "-i", "bob@example.com")
		sent(lines)
	})
	w.measure(t, "notify, one message (with the contact's join)", costBound{3, 38, 1, false}, own, func() {
		w.msn(t, "", "notify", "bob@example.com", "--", "true")
		sent(1)
	})
	bob.Close()
	w.quiet(t)

	w.costOfListen(t, ctx)
	w.costOfFiles(t, ctx)
	w.costOfShared(t)
}

// costOfListen measures msn listen as bob: its sign-in, a message in a new
// conversation, a message in an open one, and its keep-alive pings.
func (w *costWorld) costOfListen(t *testing.T, ctx context.Context) {
	// Bob's first sign-in caches his list, the second learns whether his
	// tickets are reused.
	for range 2 {
		lctx, stop := context.WithCancel(ctx)
		_, wait := w.listen(lctx, "bob@example.com", listenOptions{})
		stop()
		if err := wait(); err != nil {
			t.Fatalf("listen: %v", err)
		}
	}
	lctx, stop := context.WithCancel(ctx)
	var wait func() error
	w.measure(t, "listen, sign-in until online", costBound{1, 15, 1, false}, own, func() {
		_, wait = w.listen(lctx, "bob@example.com", listenOptions{})
	})
	w.measure(t, "listen, one message from msn send (both sides)", costBound{3, 40, 1, false}, sides, func() {
		w.msn(t, "", "send", "bob@example.com", "ping")
	})
	talk := w.aliceOpensTalk(t, ctx)
	w.measure(t, "listen, one more message in an open conversation (both sides)", costBound{0, 3, 0, false}, sides, func() {
		if err := talk.SendText(ctx, "again", nil); err != nil {
			t.Fatal(err)
		}
	})
	stop()
	if err := wait(); err != nil {
		t.Fatalf("listen: %v", err)
	}
	talk.Close()
	w.quiet(t)

	// One keep-alive ping, from a listen that pings every 20 ms; the
	// README multiplies it by the pings of an hour (every 45 s: 80).
	interval := keepAliveInterval
	keepAliveInterval = 20 * time.Millisecond
	defer func() { keepAliveInterval = interval }()
	lctx, stop = context.WithCancel(ctx)
	_, wait = w.listen(lctx, "bob@example.com", listenOptions{})
	time.Sleep(300 * time.Millisecond) // past the sign-in's last lines
	before := w.srv.Stats()
	time.Sleep(500 * time.Millisecond)
	d := w.srv.Stats().Sub(before)
	stop()
	if err := wait(); err != nil {
		t.Fatalf("listen: %v", err)
	}
	// A snapshot may fall between a ping and its answer: one apart.
	pings := d.NS.LinesIn
	if pings < 5 || d.Total().Accepted != 0 || d.NS.LinesOut < pings-1 || d.NS.LinesOut > pings+1 {
		t.Fatalf("keep-alive: %d lines in, %d out, %d connections; want pings answered one for one", d.NS.LinesIn, d.NS.LinesOut, d.Total().Accepted)
	}
	per := server.Stats{NS: server.ConnStats{LinesIn: 80, LinesOut: 80, BytesIn: d.NS.BytesIn * 80 / pings, BytesOut: d.NS.BytesOut * 80 / pings}}
	w.rows = append(w.rows, costRow{what: "listen, idle, an hour of keep-alive pings (80 × one ping)", d: per, rounds: -1})
	w.quiet(t)
}

// costOfFiles measures msn recvfile as bob signing in, and msn sendfile
// of a small file to it: the invitation and its answers go through the
// server, the file itself peer to peer.
func (w *costWorld) costOfFiles(t *testing.T, ctx context.Context) {
	file := filepath.Join(w.dir, "notes.txt")
	if err := os.WriteFile(file, bytes.Repeat([]byte("x"), 1024), 0o600); err != nil {
		t.Fatal(err)
	}
	var wait func() error
	w.measure(t, "recvfile, sign-in until online", costBound{1, 15, 1, false}, own, func() {
		_, _, wait = w.recvfileAsBob(ctx, t.TempDir(), 1)
	})
	w.measure(t, "sendfile to recvfile, server side (both sides)", costBound{3, 46, 1, false}, sides, func() {
		w.msn(t, "", "sendfile", "bob@example.com", file)
		if err := wait(); err != nil {
			t.Fatalf("recvfile: %v", err)
		}
	})
}

// costOfShared measures msn up holding alice's session, then msn status
// and msn send run through it.
func (w *costWorld) costOfShared(t *testing.T) {
	w.measure(t, "up, sign-in until the session is served", costBound{1, 14, 1, false}, own, func() {
		w.hold(t, "alice@example.com")
	})
	w.msn(t, "", "status") // the first client waits for the holder's list sync
	w.measure(t, "status set busy through up", costBound{0, 2, 0, false}, shared, func() { w.msn(t, "", "status", "set", "busy") })
	w.measure(t, "status through up", costBound{0, 0, 0, false}, shared, func() { w.msn(t, "", "status") })
	bob := peer.Start(t, w.lw, "bob@example.com", "bobpass", roundTripDelay, roundTripTimeout)
	defer bob.Close()
	w.msn(t, "", "send", "bob@example.com", "warm")
	bob.WaitFor(t, 1)
	w.measure(t, "send through up, one message (with the contact's join)", costBound{2, 20, 0, false}, shared, func() {
		w.msn(t, "", "send", "bob@example.com", "ping")
		bob.WaitFor(t, 2)
	})
}

// aliceOpensTalk signs alice in through proto, past the proxies, and
// opens a conversation with bob, both closed at the end of the test.
func (w *costWorld) aliceOpensTalk(t *testing.T, ctx context.Context) *switchboard.Switchboard {
	t.Helper()
	pc := passport.New(w.srv.NexusURL(), w.lw.Roots())
	pc.LoginHosts = []string{w.lw.Passport.Addr()}
	defer pc.CloseIdle()
	lctx, cancel := context.WithTimeout(ctx, w.timeout)
	defer cancel()
	res, err := proto.Login(lctx, proto.LoginConfig{
		Server: w.srv.NSAddr(), Email: "alice@example.com", Passport: pc,
		Password: func(context.Context) (secret.String, error) { return secret.New("alicepass"), nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.NS.Close() })
	sb, err := switchboard.Open(lctx, res.NS, switchboard.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	if err := sb.Invite(lctx, "bob@example.com"); err != nil {
		t.Fatal(err)
	}
	return sb
}
