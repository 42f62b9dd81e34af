package commands

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestContactsRoundTrips checks that the changes of several addresses go
// out together: a command given three addresses takes no more round
// trips than one given a single address, counted through the latency
// proxies (see msntest), ticket and list cached.
func TestContactsRoundTrips(t *testing.T) {
	w := newBenchWorld(t, roundTripDelay)
	w.args = append(w.args, "--timeout", roundTripTimeout.String(), "--account", "alice@example.com")
	w.run(t, "contacts", "list", "--password-file", filepath.Join(w.dir, "alice.pw"))
	w.run(t, "contacts", "list") // the ticket and the list are cached now
	w.Settle(t)

	runContactsCommand(t, w, ExOK, "contacts", "block", "bob@example.com")
	one := w.Rounds()
	checkRoundTrips(t, "msn contacts block, one address", one, one)
	w.Settle(t)

	// bob: REM BL and ADD AL; carol: ADD AL; nobody: ADD AL, refused.
	runContactsCommand(t, w, ExNoUser, "contacts", "allow", "bob@example.com", "carol@example.com", "nobody@example.com")
	checkRoundTrips(t, "msn contacts allow, three addresses", w.Rounds(), one)
}

// runContactsCommand runs msn in process and checks its exit code.
func runContactsCommand(t *testing.T, w *benchWorld, want int, args ...string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &Env{Stdout: &stdout, Stderr: &stderr, Stdin: strings.NewReader("")}
	err := NewAppWithEnv(env).RunContext(context.Background(), append(append([]string{}, w.args...), args...))
	if code := Report(&stderr, err); code != want {
		t.Fatalf("msn %s: exit %d, want %d: %s", strings.Join(args, " "), code, want, stderr.String())
	}
}
