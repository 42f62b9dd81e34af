package commands

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"msn/proto/secret"
	"msn/proto/server"
)

// TestPromptComesBeforeTheTimeout checks that the password prompt of a
// sign-in with nothing cached runs before the --timeout budget starts:
// its context has no deadline, and the budget's deadline is --timeout
// after the prompt returned, however long the person took to type.
func TestPromptComesBeforeTheTimeout(t *testing.T) {
	w := newTestWorld(t, server.Config{})
	var stdout, stderr bytes.Buffer
	env := &Env{Stdout: &stdout, Stderr: &stderr, Stdin: strings.NewReader("")}
	var answered time.Time
	prompts := 0
	env.Prompt = func(ctx context.Context, prompt string) (secret.String, error) {
		prompts++
		if _, ok := ctx.Deadline(); ok {
			t.Errorf("the prompt runs under a deadline")
		}
		if !env.deadline.IsZero() {
			t.Errorf("the budget started before the prompt")
		}
		answered = time.Now()
		return secret.New("alicepass"), nil
	}
	timeout := 5 * time.Second
	err := NewAppWithEnv(env).RunContext(context.Background(), []string{"msn", "--server", w.nsAddr, "--nexus", w.nexus,
		"--ca-file", w.caFile, "--keyring", "file", "--timeout", timeout.String(), "-a", "alice@example.com", "status"})
	if code := Report(&stderr, err); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if prompts != 1 {
		t.Fatalf("%d prompts, want 1", prompts)
	}
	if env.deadline.Before(answered.Add(timeout)) {
		t.Errorf("the budget ends %s after the prompt returned, want at least %s", env.deadline.Sub(answered), timeout)
	}
}
