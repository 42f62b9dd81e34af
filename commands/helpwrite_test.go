package commands

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// writeCounter keeps what is written to it and counts the writes. It
// has only a Write method, so that no writer takes a shortcut past it.
type writeCounter struct {
	buf    bytes.Buffer
	writes int
}

func (w *writeCounter) Write(p []byte) (int, error) {
	w.writes++
	return w.buf.Write(p)
}

func (w *writeCounter) String() string { return w.buf.String() }
func (w *writeCounter) Len() int       { return w.buf.Len() }

// runCounting runs the app over write counters and returns them with the
// exit code.
func runCounting(t *testing.T, args ...string) (stdout, stderr *writeCounter, code int) {
	t.Helper()
	stdout, stderr = &writeCounter{}, &writeCounter{}
	env := &Env{Stdout: stdout, Stderr: stderr, Stdin: strings.NewReader("")}
	err := NewAppWithEnv(env).RunContext(context.Background(), append([]string{"msn"}, args...))
	return stdout, stderr, Report(stderr, err)
}

func TestHelpIsOneWrite(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"help"}, {"status", "--help"}, {"help", "status", "set"}, {"contacts", "group", "--help"}} {
		stdout, stderr, code := runCounting(t, args...)
		if code != 0 || stdout.writes != 1 || !strings.Contains(stdout.String(), "USAGE:") || stderr.Len() != 0 {
			t.Errorf("%q: exit %d, %d writes on stdout (%d bytes), stderr %q", args, code, stdout.writes, stdout.Len(), stderr.String())
		}
	}
}

func TestUsageOnStderrIsOneWrite(t *testing.T) {
	for _, args := range [][]string{{}, {"contacts", "group"}} {
		stdout, stderr, code := runCounting(t, args...)
		if code != ExUsage || stdout.Len() != 0 || stderr.writes != 1 || !strings.Contains(stderr.String(), "COMMANDS:") {
			t.Errorf("%q: exit %d, stdout %q, %d writes on stderr: %q", args, code, stdout.String(), stderr.writes, stderr.String())
		}
	}
}

func TestErrorAndHintAreOneWrite(t *testing.T) {
	stdout, stderr, code := runCounting(t, "--no-such-flag")
	if code != ExUsage || stdout.Len() != 0 || stderr.writes != 1 || strings.Count(stderr.String(), "\n") != 2 || !strings.Contains(stderr.String(), "msn: hint: ") {
		t.Errorf("exit %d, stdout %q, %d writes on stderr: %q", code, stdout.String(), stderr.writes, stderr.String())
	}
}

func TestCompletionIsOneWrite(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	stdout, stderr, code := runCounting(t, CompleteCommand, "st")
	if code != 0 || stdout.writes != 1 || !strings.Contains(stdout.String(), "status\n") {
		t.Errorf("exit %d, %d writes on stdout: %q, stderr %q", code, stdout.writes, stdout.String(), stderr.String())
	}
}
