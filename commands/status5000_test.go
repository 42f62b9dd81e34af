package commands

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"msn/keyring"
	"msn/proto/msntest"
	"msn/proto/server"
)

// contactAccounts returns n accounts c0000@example.com..., and an account
// email (password pwd) that has all of them as contacts.
func contactAccounts(email, pwd string, n int) []server.Account {
	accts := make([]server.Account, 0, n+1)
	contacts := make([]string, 0, n)
	for i := range n {
		c := fmt.Sprintf("c%04d@example.com", i)
		contacts = append(contacts, c)
		accts = append(accts, server.Account{Email: c, Password: fmt.Sprintf("pw%d", i)})
	}
	return append(accts, server.Account{Email: email, Password: pwd, Contacts: contacts})
}

// runIn runs msn in process with the world's global flags and args and
// returns stdout, failing the test unless it exits 0.
func (w *testWorld) runIn(t testing.TB, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &Env{Stdout: &stdout, Stderr: &stderr, Stdin: strings.NewReader("")}
	all := append([]string{"msn", "--server", w.nsAddr, "--nexus", w.nexus, "--ca-file", w.caFile, "--keyring", "file"}, args...)
	if code := Report(&stderr, NewAppWithEnv(env).RunContext(context.Background(), all)); code != 0 {
		t.Fatalf("msn %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
	}
	return stdout.String()
}

// TestStatus5000Contacts runs msn status for an account with 5,000
// contacts: every contact is listed, in order, and, with the ticket and
// the list cached, the command reads state.json and the list's file once
// each and writes nothing.
func TestStatus5000Contacts(t *testing.T) {
	const n = 5000
	w := newTestWorld(t, server.Config{Accounts: contactAccounts("alice@example.com", "alicepass", n), Policy: server.Reusable})
	t.Setenv("HOME", w.dir)
	w.runIn(t, "login", "--password-file", w.passwordFile("alice@example.com"), "alice@example.com")
	first := w.runIn(t, "status")
	lines := strings.Split(strings.TrimSuffix(first, "\n"), "\n")
	if len(lines) != n+1 || !strings.HasPrefix(lines[0], "EMAIL ") {
		t.Fatalf("%d lines, want %d: %.200q", len(lines), n+1, first)
	}
	for i, l := range lines[1:] {
		want := fmt.Sprintf("c%04d@example.com  offline  c%04d", i, i)
		if l != want {
			t.Fatalf("line %d: %q, want %q", i+1, l, want)
		}
	}
	lists, err := filepath.Glob(filepath.Join(w.dir, "state", "msn", "lists", "alice@example.com*.json"))
	if err != nil || len(lists) != 1 {
		t.Fatalf("list files: %q %v", lists, err)
	}

	// As a new process, with files older than a moment.
	old := time.Now().Add(-time.Hour)
	filepath.WalkDir(filepath.Join(w.dir, "state"), func(path string, _ fs.DirEntry, err error) error {
		if err == nil {
			err = os.Chtimes(path, old, old)
		}
		return err
	})
	keyring.ForgetFiles()
	before := keyring.Ops()
	again := w.runIn(t, "status")
	if ops := keyring.Ops().Sub(before); ops != (keyring.FileOps{Reads: 2}) {
		t.Errorf("a cached status: %+v, want state.json and the list read once each and nothing written", ops)
	}
	if again != first {
		t.Errorf("the cached status differs from the first")
	}
}

// TestStatusListCutMidStream has the connection cut in the middle of a
// long list (a proxy closes it at the 300th LST line): msn status fails
// at once with 75, not after its --timeout of a minute.
func TestStatusListCutMidStream(t *testing.T) {
	w := newTestWorld(t, server.Config{Accounts: contactAccounts("alice@example.com", "alicepass", 1000), Policy: server.Reusable})
	t.Setenv("HOME", w.dir)
	p, err := msntest.NewFaultProxy(w.nsAddr, msntest.Rule{Fault: msntest.Truncate, Dir: msntest.ServerToClient, On: "LST ", Nth: 300})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var stdout, stderr msntest.SyncBuffer
	env := &Env{Stdout: &stdout, Stderr: &stderr, Stdin: strings.NewReader("")}
	args := []string{"msn", "--server", p.Addr(), "--nexus", w.nexus, "--ca-file", w.caFile, "--keyring", "file",
		"--timeout", "1m", "-a", "alice@example.com", "status", "--password-file", w.passwordFile("alice@example.com")}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- Report(&stderr, NewAppWithEnv(env).RunContext(ctx, args)) }()
	select {
	case code := <-done:
		if code != ExTempFail {
			t.Fatalf("exit %d, want %d: %s", code, ExTempFail, stderr.String())
		}
	case <-time.After(10 * time.Second):
		cancel()
		<-done
		t.Fatal("msn status still waits after the connection was cut")
	}
	if p.Fired() != 1 || stdout.String() != "" || !strings.Contains(stderr.String(), "closed") {
		t.Errorf("fired %d; stdout %q; stderr %q", p.Fired(), stdout.String(), stderr.String())
	}
}
