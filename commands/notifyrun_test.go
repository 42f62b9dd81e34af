package commands

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// skipWithoutSh skips a test that runs Unix tools.
func skipWithoutSh(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("needs sh")
	}
}

func TestRunCommandStatus(t *testing.T) {
	skipWithoutSh(t)
	noExec := filepath.Join(t.TempDir(), "script")
	if err := os.WriteFile(noExec, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		argv     []string
		status   int
		signal   syscall.Signal
		startErr bool
	}{
		{[]string{"sh", "-c", "exit 0"}, 0, 0, false},
		{[]string{"sh", "-c", "exit 7"}, 7, 0, false},
		{[]string{"sh", "-c", "kill -TERM $$"}, 128 + int(syscall.SIGTERM), syscall.SIGTERM, false},
		{[]string{"no-such-command-for-notify"}, 127, 0, true},
		{[]string{"./no-such-file"}, 127, 0, true},
		{[]string{noExec}, 126, 0, true},
	} {
		out := runCommand(runSpec{Argv: tc.argv, Stdin: strings.NewReader(""), Tail: newTail(5)})
		if out.Status != tc.status || out.Signal != tc.signal || (out.StartErr != nil) != tc.startErr {
			t.Errorf("%q: status %d, signal %d, start error %v; want %d, %d, error %v",
				tc.argv, out.Status, out.Signal, out.StartErr, tc.status, tc.signal, tc.startErr)
		}
		if out.failed() != (tc.status != 0) {
			t.Errorf("%q: failed() = %v", tc.argv, out.failed())
		}
	}
}

func TestRunCommandStreams(t *testing.T) {
	skipWithoutSh(t)
	var stdout, stderr bytes.Buffer
	tl := newTail(10)
	out := runCommand(runSpec{
		Argv:   []string{"sh", "-c", "cat; echo oops >&2"},
		Stdin:  strings.NewReader("hello\n"),
		Stdout: &stdout, Stderr: &stderr, Tail: tl,
	})
	if out.Status != 0 || stdout.String() != "hello\n" || stderr.String() != "oops\n" {
		t.Fatalf("status %d, stdout %q, stderr %q", out.Status, stdout.String(), stderr.String())
	}
	// stdout and stderr are read by one goroutine each, so the tail
	// holds both lines in either order.
	lines, _ := tl.Lines()
	slices.Sort(lines)
	if strings.Join(lines, ",") != "hello,oops" {
		t.Errorf("tail %q, want hello and oops", lines)
	}
}

// readyWriter closes ready at the first write.
type readyWriter struct {
	once  sync.Once
	ready chan struct{}
}

func (w *readyWriter) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.ready) })
	return len(p), nil
}

func TestRunCommandForwardsSignals(t *testing.T) {
	skipWithoutSh(t)
	sigs := make(chan os.Signal, 1)
	w := &readyWriter{ready: make(chan struct{})}
	go func() {
		select {
		case <-w.ready:
			sigs <- syscall.SIGINT
		case <-time.After(5 * time.Second):
		}
	}()
	start := time.Now()
	out := runCommand(runSpec{
		Argv:  []string{"sh", "-c", "echo ready; exec sleep 10"},
		Stdin: strings.NewReader(""), Stdout: w, Tail: newTail(1), Signals: sigs,
	})
	if out.Signal != syscall.SIGINT || out.Status != 130 {
		t.Errorf("status %d, signal %d; want 130 after SIGINT", out.Status, out.Signal)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %s", took)
	}
}

// TestRunCommandDropsQueuedSignals checks that a signal that came while
// the command was ending is not left to stop the message.
func TestRunCommandDropsQueuedSignals(t *testing.T) {
	skipWithoutSh(t)
	sigs := make(chan os.Signal, 2)
	done := make(chan struct{})
	close(done)
	sigs <- syscall.SIGINT
	sigs <- syscall.SIGINT
	forwardSignals(nil, sigs, done) // nil: nothing may be signalled
	if len(sigs) != 0 {
		t.Errorf("%d signals left queued", len(sigs))
	}
}
