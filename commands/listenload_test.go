package commands

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"msn/commands/session"
	"msn/proto/server"
)

// TestListenManySenders runs 20 long-lived msn send -i at once into one
// msn listen, more than the conversations it keeps open, each sending
// 50 lines a few milliseconds apart and keeping its conversation open
// until every line has arrived: every line arrives, once, and every
// sender ends with 0. Conversations listen leaves to answer new ones are
// reopened by their senders.
func TestListenManySenders(t *testing.T) {
	const senders, lines = 20, 50
	old := session.RingWait
	session.RingWait = time.Second
	t.Cleanup(func() { session.RingWait = old })
	accounts := []server.Account{{Email: "bob@example.com", Password: "bobpass", Name: "Bob"}}
	for i := 1; i <= senders; i++ {
		email := fmt.Sprintf("s%02d@example.com", i)
		accounts = append(accounts, server.Account{Email: email, Password: fmt.Sprintf("s%02dpass", i), Contacts: []string{"bob@example.com"}})
		accounts[0].Contacts = append(accounts[0].Contacts, email)
	}
	w := newTestWorld(t, server.Config{Accounts: accounts, Policy: server.Reusable})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, stderr, wait := w.listenFull(ctx, "bob@example.com", listenOptions{}, false)

	start := time.Now()
	allIn := make(chan struct{}) // closed once listen has every line, or gave up
	var wg sync.WaitGroup
	errs := make([]error, senders)
	logs := make([]fmt.Stringer, senders)
	for i := range senders {
		account := accounts[i+1].Email
		in, feed := io.Pipe()
		env, _, errOut := w.env(account, in)
		logs[i] = errOut
		wg.Add(2)
		go func() {
			defer wg.Done()
			defer feed.Close()
			for k := 1; k <= lines; k++ {
				if _, err := fmt.Fprintf(feed, "line %02d\n", k); err != nil {
					return
				}
				time.Sleep(time.Duration(2+(i+k)%5) * time.Millisecond)
			}
			<-allIn
		}()
		go func() {
			defer wg.Done()
			defer in.Close()
			errs[i] = runSend(ctx, env, sendOptions{Recipients: []string{"bob@example.com"}, Interactive: true,
				Window: sendWindow, Session: w.session(account)})
		}()
	}
	// The senders hold their conversations for longer than a ring waits
	// for a busy slot, so that only leaving a conversation makes room.
	// A line a sender learns was not delivered (its conversation was left
	// as it went) is sent again on its next line, or at the end of its
	// input.
	hold := time.Now().Add(3 * session.RingWait)
	for strings.Count(out.String(), "\n") < senders*lines && time.Now().Before(hold) {
		time.Sleep(10 * time.Millisecond)
	}
	close(allIn)
	wg.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(out.String(), "\n") < senders*lines && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	elapsed := time.Since(start)
	for i, err := range errs {
		if err != nil {
			t.Errorf("sender %d: %v; %s", i+1, err, logs[i])
		}
	}
	cancel()
	if err := wait(); err != nil {
		t.Fatalf("listen: %v; %s", err, stderr)
	}
	got := out.String()
	missing := 0
	for i := 1; i <= senders; i++ {
		for k := 1; k <= lines; k++ {
			if n := strings.Count(got, fmt.Sprintf("s%02d@example.com: line %02d\n", i, k)); n != 1 {
				missing++
				if missing <= 10 {
					t.Errorf("s%02d line %02d arrived %d times", i, k, n)
				}
			}
		}
	}
	if missing > 0 {
		t.Logf("listen's stderr:\n%s", stderr)
		for i, log := range logs {
			if s := log.String(); s != "" {
				t.Logf("sender %d's stderr:\n%s", i+1, s)
			}
		}
	}
	if strings.Contains(stderr.String(), "ignoring an invitation") {
		t.Errorf("listen ignored an invitation:\n%s", stderr)
	}
	left := strings.Count(stderr.String(), "16 conversations were open")
	t.Logf("%d/%d lines from %d senders in %s; listen left %d conversations for new ones", senders*lines-missing, senders*lines, senders, elapsed.Round(time.Millisecond), left)
}
