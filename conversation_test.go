package main

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"msn/proto"
	"msn/proto/server"
)

// presenceLog follows the server's wire log to learn which accounts have
// set a status since they signed in, which is when others can invite
// them: the server reports only whether an account is signed in.
type presenceLog struct {
	mu      sync.Mutex
	partial string
	owner   map[string]string // notification connection → account
	visible map[string]bool   // account → status set on its latest session
}

type presenceLogKey struct{}

func newPresenceLog() *presenceLog {
	return &presenceLog{owner: map[string]string{}, visible: map[string]bool{}}
}

// serverLine matches a line the server sent on a notification connection.
var serverLine = regexp.MustCompile(`^\[ns (\S+)\] S< (\S+) (.*)$`)

// Write reads the wire log, line by line.
func (p *presenceLog) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	text := p.partial + string(b)
	lines := strings.Split(text, "\n")
	p.partial = lines[len(lines)-1]
	for _, line := range lines[:len(lines)-1] {
		m := serverLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		f := strings.Fields(m[3])
		switch {
		case m[2] == "USR" && len(f) >= 3 && f[1] == "OK":
			who := strings.ToLower(f[2])
			p.owner[m[1]] = who
			p.visible[who] = false
		case m[2] == "CHG" && len(f) >= 2 && p.owner[m[1]] != "":
			p.visible[p.owner[m[1]]] = f[1] != "HDN" && f[1] != "FLN"
		}
	}
	return len(b), nil
}

// reachable reports whether email is signed in with a visible status.
func (p *presenceLog) reachable(srv *server.Server, email string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.visible[strings.ToLower(email)] && srv.Online(email)
}

// cmdOnline waits up to stepTimeout until each account is signed in with
// a status others can see (a background msn listen is ready), or with
// "!" until each is signed out: [!] online EMAIL...
func cmdOnline(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: [!] online email...")
	}
	w := worldOf(ts)
	log := ts.Value(presenceLogKey{}).(*presenceLog)
	deadline := time.Now().Add(stepTimeout)
	for _, email := range args {
		for {
			ok := w.srv.Online(email)
			if !neg {
				ok = log.reachable(w.srv, email)
			}
			if ok != neg {
				break
			}
			if time.Now().After(deadline) {
				ts.Fatalf("%s is still %s", email, map[bool]string{false: "offline", true: "online"}[neg])
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// cmdContact changes a demo account's lists through its own short
// session: contact OWNER add|block TARGET.
func cmdContact(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 || (args[1] != "add" && args[1] != "block") {
		ts.Fatalf("usage: contact owner add|block target")
	}
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	ns := demoLogin(ts, ctx, args[0])
	defer ns.Close()
	var err error
	if args[1] == "block" {
		_, err = ns.Block(ctx, args[2])
	} else {
		_, err = ns.AddContact(ctx, proto.ForwardList, args[2], args[2], 0)
	}
	ts.Check(err)
	ts.Check(ns.Logout(ctx))
}
