package commands

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// run runs the app over buffers and returns stdout, stderr and the exit
// code.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &Env{Stdout: &stdout, Stderr: &stderr, Stdin: strings.NewReader("")}
	err := NewAppWithEnv(env).RunContext(context.Background(), append([]string{"msn"}, args...))
	code := Report(&stderr, err)
	return stdout.String(), stderr.String(), code
}

func TestUsageErrors(t *testing.T) {
	tests := [][]string{
		{"--no-such-flag"},
		{"no-such-command"},
		{"login", "--no-such-flag"},
		{"login", "a@example.com", "--password-stdin"},
		{"login", "a@example.com", "b@example.com"},
		{"logout", "a@example.com", "extra"},
		{"serve", "--tickets", "forever", "--demo"},
		{"help", "no-such-command"},
		{"--timeout", "soon", "login"},
		{"login", "not-an-address"},
		{"login", "--password-stdin", "--password-file", "x", "a@example.com"},
		{"--timeout", "5", "login"},
		{"--timeout", "-1s", "login"},
		{"--protocol", "msnp9", "login"},
		{"--keyring", "plaintext", "login"},
		{"--server", "host:99999", "login"},
		{"--nexus", "http://nexus.example.com/", "login"},
		{"contacts", "group", "foo"},
		{"sttaus"},
		{"send", "bob@example.com", "hi", "--json"},
		{"status", "--json"},
	}
	for _, args := range tests {
		stdout, stderr, code := run(t, args...)
		if code != ExUsage {
			t.Errorf("%q: exit %d, want %d; stderr %q", args, code, ExUsage, stderr)
		}
		if stdout != "" {
			t.Errorf("%q: stdout %q, want nothing", args, stdout)
		}
		if !strings.HasPrefix(stderr, "msn: ") {
			t.Errorf("%q: stderr %q", args, stderr)
		}
	}
}

// TestEnvironmentErrors checks that a bad value from the environment
// is a configuration error (78) naming the variable.
func TestEnvironmentErrors(t *testing.T) {
	for _, tc := range []struct{ name, value string }{
		{"MSN_PROTOCOL", "msnp9"},
		{"MSN_KEYRING", "plaintext"},
		{"MSN_TIMEOUT", "-1s"},
		{"MSN_TIMEOUT", "soon"},
		{"MSN_SERVER", "host:99999"},
		{"MSN_JSON", "yes"},
		{"MSN_QUIET", "maybe"},
	} {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			t.Setenv(tc.name, tc.value)
			_, stderr, code := run(t, "login")
			if code != ExConfig || !strings.HasPrefix(stderr, "msn: "+tc.name+"=") && !strings.HasPrefix(stderr, "msn: "+tc.name+":") {
				t.Errorf("exit %d, want %d; stderr %q", code, ExConfig, stderr)
			}
		})
	}
}

// TestBareCommandShowsHelpOnStderr checks that msn, or a command that
// needs a subcommand, given nothing prints its help on stderr and exits
// 64.
func TestBareCommandShowsHelpOnStderr(t *testing.T) {
	for _, args := range [][]string{{}, {"contacts", "group"}} {
		stdout, stderr, code := run(t, args...)
		if code != ExUsage || stdout != "" || !strings.Contains(stderr, "COMMANDS:") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}

func TestHelpGoesToStdout(t *testing.T) {
	stdout, _, code := run(t, "--help")
	if code != 0 || !strings.Contains(stdout, "login") {
		t.Errorf("help: exit %d, stdout %q", code, stdout)
	}
	stdout, _, code = run(t, "login", "--help")
	if code != 0 || !strings.Contains(stdout, "--password-stdin") {
		t.Errorf("login help: exit %d, stdout %q", code, stdout)
	}
}

func TestUsageStringsHaveNoBackticks(t *testing.T) {
	app := NewAppWithEnv(&Env{})
	for _, f := range app.Flags {
		if strings.Contains(f.String(), "`") {
			t.Errorf("global flag %s has a back-tick", f.Names()[0])
		}
	}
	for _, c := range app.Commands {
		if strings.Contains(c.Usage+c.Description, "`") {
			t.Errorf("command %s has a back-tick", c.Name)
		}
		for _, f := range c.Flags {
			if strings.Contains(f.String(), "`") {
				t.Errorf("%s flag %s has a back-tick", c.Name, f.Names()[0])
			}
		}
	}
}
