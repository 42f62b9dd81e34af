package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"msn/proto"
	"msn/proto/passport"
	"msn/proto/secret"
	"msn/proto/server"
)

// heldSessions are the notification sessions hold keeps open in one
// script, by account.
type heldSessions struct {
	mu sync.Mutex
	ns map[string]*proto.Notification
}

// held maps each script's world to its held sessions.
var held sync.Map // *world → *heldSessions

// heldOf returns the script's held sessions; they are all closed when
// the script ends.
func heldOf(ts *testscript.TestScript) *heldSessions {
	w := worldOf(ts)
	fresh := &heldSessions{ns: map[string]*proto.Notification{}}
	v, loaded := held.LoadOrStore(w, fresh)
	if !loaded {
		ts.Defer(func() {
			held.Delete(w)
			fresh.mu.Lock()
			defer fresh.mu.Unlock()
			for _, ns := range fresh.ns {
				ns.Close()
			}
		})
	}
	return v.(*heldSessions)
}

// demoLogin signs a demo account in straight through proto, against the
// script's server, without touching msn's state.
func demoLogin(ts *testscript.TestScript, ctx context.Context, email string) *proto.Notification {
	var password string
	for _, a := range server.DemoAccounts() {
		if strings.EqualFold(a.Email, email) {
			password = a.Password
		}
	}
	if password == "" {
		ts.Fatalf("%s is not a demo account", email)
	}
	ca, err := os.ReadFile(ts.MkAbs("ca.pem"))
	ts.Check(err)
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(ca)
	w := worldOf(ts)
	pc := passport.New(w.srv.NexusURL(), roots)
	// The server's nexus names the Passport proxy, on another port, as
	// its login server: the host policy wants that port allowed.
	pc.LoginHosts = []string{ts.Getenv("PASSPORT_ADDR")}
	defer pc.CloseIdle()
	res, err := proto.Login(ctx, proto.LoginConfig{
		Server: w.srv.NSAddr(), Email: email, Passport: pc,
		Password: func(context.Context) (secret.String, error) { return secret.New(password), nil },
	})
	ts.Check(err)
	return res.NS
}

// cmdHold keeps a demo account signed in with a status (default online)
// until release or the end of the script: hold EMAIL [STATUS].
func cmdHold(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: hold email [status]")
	}
	status := proto.StatusOnline
	if len(args) == 2 {
		s, ok := proto.ParseStatus(args[1])
		if !ok {
			ts.Fatalf("hold: unknown status %q", args[1])
		}
		status = s
	}
	h := heldOf(ts)
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	h.mu.Lock()
	defer h.mu.Unlock()
	if ns := h.ns[args[0]]; ns != nil {
		ts.Check(ns.SetStatus(ctx, status))
		return
	}
	ns := demoLogin(ts, ctx, args[0])
	if _, err := ns.Sync(ctx, nil); err != nil {
		ns.Close()
		ts.Fatalf("hold: sync: %v", err)
	}
	if err := ns.SetStatus(ctx, status); err != nil {
		ns.Close()
		ts.Fatalf("hold: %v", err)
	}
	h.ns[args[0]] = ns
}

// cmdRelease signs a held account out: release EMAIL.
func cmdRelease(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: release email")
	}
	h := heldOf(ts)
	h.mu.Lock()
	defer h.mu.Unlock()
	ns := h.ns[args[0]]
	if ns == nil {
		ts.Fatalf("release: %s is not held", args[0])
	}
	delete(h.ns, args[0])
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	ts.Check(ns.Logout(ctx))
}

// cmdFillGroups creates groups for a demo account until the server says
// the group table is full: fillgroups EMAIL.
func cmdFillGroups(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: fillgroups email")
	}
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	ns := demoLogin(ts, ctx, args[0])
	defer ns.Close()
	for i := 1; i <= proto.MaxGroups; i++ {
		_, err := ns.AddGroup(ctx, fmt.Sprintf("filler %d", i))
		if errors.Is(err, proto.ErrListFull) {
			return
		}
		ts.Check(err)
	}
	ts.Fatalf("fillgroups: the group table never filled up")
}

// cmdSignedIn waits up to stepTimeout until each account has a
// notification session: signedin EMAIL...
func cmdSignedIn(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: signedin email...")
	}
	w := worldOf(ts)
	deadline := time.Now().Add(stepTimeout)
	for _, email := range args {
		for !w.srv.Online(email) {
			if time.Now().After(deadline) {
				ts.Fatalf("%s did not sign in", email)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// cmdWaitGrep waits up to stepTimeout until a line of FILE matches
// REGEXP: waitgrep FILE REGEXP.
func cmdWaitGrep(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitgrep file regexp")
	}
	re, err := regexp.Compile("(?m)" + args[1])
	ts.Check(err)
	deadline := time.Now().Add(stepTimeout)
	for {
		b, _ := os.ReadFile(ts.MkAbs(args[0]))
		if re.Match(b) {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("no line of %s matches %q; it holds:\n%s", args[0], args[1], b)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// cmdHeld waits up to stepTimeout until a command holds the session of
// each account (msn up --status exits 0): held EMAIL...
func cmdHeld(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: held email...")
	}
	deadline := time.Now().Add(stepTimeout)
	for _, email := range args {
		for ts.Exec("msn", "-q", "-a", email, "up", "--status") != nil {
			if time.Now().After(deadline) {
				ts.Fatalf("nobody holds the session of %s", email)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// cmdKick makes the server end each account's session as if it were
// shutting down (OUT SSD): kick EMAIL...
func cmdKick(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: kick email...")
	}
	for _, email := range args {
		if !worldOf(ts).srv.Kick(email) {
			ts.Fatalf("kick: %s is not signed in", email)
		}
	}
}

// cmdClients waits up to stepTimeout until N other commands run through
// the session held for the account: clients EMAIL N.
func cmdClients(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: clients email n")
	}
	want := fmt.Sprintf(", %s other client(s)", args[1])
	deadline := time.Now().Add(stepTimeout)
	for {
		if ts.Exec("msn", "-a", args[0], "up", "--status") == nil && strings.Contains(ts.ReadFile("stdout"), want) {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("the session of %s never had %s other client(s)", args[0], args[1])
		}
		time.Sleep(20 * time.Millisecond)
	}
}
