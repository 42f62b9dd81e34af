package commands

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"msn/proto/server"
)

// TestListenManySenders runs 20 long-lived msn send -i at once into one
// msn listen, more than the conversations it keeps open, each sending
// 50 lines a few milliseconds apart: every line arrives, once, and every
// sender ends with 0. Conversations listen leaves to answer new ones are
// reopened by their senders.
func TestListenManySenders(t *testing.T) {
	const senders, lines = 20, 50
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
		}()
		go func() {
			defer wg.Done()
			defer in.Close()
			errs[i] = runSend(ctx, env, sendOptions{Recipients: []string{"bob@example.com"}, Interactive: true,
				Window: sendWindow, Session: w.session(account)})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("sender %d: %v; %s", i+1, err, logs[i])
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(out.String(), "\n") < senders*lines && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	elapsed := time.Since(start)
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
	left := strings.Count(stderr.String(), "16 conversations were open")
	t.Logf("%d/%d lines from %d senders in %s; listen left %d conversations for new ones", senders*lines-missing, senders*lines, senders, elapsed.Round(time.Millisecond), left)
}
