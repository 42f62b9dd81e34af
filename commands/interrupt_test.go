package commands

import (
	"context"
	"strings"
	"testing"
)

// TestInterruptWatchedOnlyForCommands checks that msn starts watching for
// signals when a command runs, once, and that the command runs with the
// context the watch gives: an interrupted one here, so it exits 130.
func TestInterruptWatchedOnlyForCommands(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_STATE_HOME", dir)
	t.Setenv("XDG_RUNTIME_DIR", "")
	for _, tc := range []struct {
		args    []string
		watches int
		code    int
	}{
		{[]string{"--version"}, 0, ExOK},
		{[]string{"--help"}, 0, ExOK},
		{[]string{"help", "status", "set"}, 0, ExOK},
		{[]string{CompleteCommand, "st"}, 0, ExOK},
		{[]string{"--no-such-flag"}, 0, ExUsage},
		{[]string{"--keyring", "file", "--server", "127.0.0.1:1", "-a", "alice@example.com", "status", "--password-stdin"}, 1, ExInterrupted},
	} {
		watches := 0
		var stdout, stderr writeCounter
		env := &Env{Stdout: &stdout, Stderr: &stderr, Stdin: strings.NewReader("pass\n")}
		env.Interrupt = func(ctx context.Context) context.Context {
			watches++
			ctx, cancel := context.WithCancel(ctx)
			cancel()
			return ctx
		}
		err := NewAppWithEnv(env).RunContext(context.Background(), append([]string{"msn"}, tc.args...))
		if code := Report(&stderr, err); watches != tc.watches || code != tc.code {
			t.Errorf("%q: %d watches, exit %d (want %d, exit %d); stderr %q", tc.args, watches, code, tc.watches, tc.code, stderr.String())
		}
	}
}
