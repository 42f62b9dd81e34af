//go:build unix

package commands

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPasswordFileRefusals checks the rules for --password-file: a
// symbolic link (even to a good file), a file of another user and one
// others can read are refused with 78 and the reason; a directory or a
// FIFO is 66, and a FIFO does not block the read.
func TestPasswordFileRefusals(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.pw")
	if err := os.WriteFile(good, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.pw")
	if err := os.Symlink(good, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.pw")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, why string
		code      int
	}{
		{link, "is a symbolic link", ExConfig},
		{dir, "not a regular file", ExNoInput},
		{fifo, "not a regular file", ExNoInput},
	} {
		_, err := passwordFromFile(tc.path)
		if ExitCode(err) != tc.code || !strings.Contains(err.Error(), tc.why) {
			t.Errorf("%s: exit %d (%v), want %d and %q", filepath.Base(tc.path), ExitCode(err), err, tc.code, tc.why)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%s: the error holds the password", filepath.Base(tc.path))
		}
	}
}

// TestPasswordFileOfAnotherUser checks that a 0600 file that belongs to
// another user is refused (78), as root too.
func TestPasswordFileOfAnotherUser(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("this test gives a file to another user: run it as root")
		}
		t.Skip("not root: cannot give a file to another user")
	}
	path := filepath.Join(t.TempDir(), "theirs.pw")
	if err := os.WriteFile(path, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(path, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	_, err := passwordFromFile(path)
	if ExitCode(err) != ExConfig || !strings.Contains(err.Error(), "belongs to uid 65534") {
		t.Fatalf("exit %d (%v), want %d", ExitCode(err), err, ExConfig)
	}
}

// TestCheckPasswordSourceReadsOnce checks that a password flag read
// before the sign-in is not read again by it, and that the next sign-in
// reads a file or command afresh: a command that prints a new value each
// time it runs gives 1 to the check and its sign-in, then 2.
func TestCheckPasswordSourceReadsOnce(t *testing.T) {
	count := filepath.Join(t.TempDir(), "count")
	src := passwordSources{Command: "echo x >> " + count + "; wc -l < " + count}
	env := &Env{Stderr: &strings.Builder{}}
	ctx := context.Background()
	if err := env.checkPasswordSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"1", "2"} {
		pw, fromKeyring, err := env.readPassword(ctx, src, nil, "a@example.com")
		if err != nil || fromKeyring || strings.TrimSpace(pw.Reveal()) != want {
			t.Fatalf("password %q (keyring %v, err %v), want %s", pw.Reveal(), fromKeyring, err, want)
		}
	}

	stdin := passwordSources{Stdin: true}
	env = &Env{Stdin: strings.NewReader("first\nsecond\n")}
	if err := env.checkPasswordSource(ctx, stdin); err != nil {
		t.Fatal(err)
	}
	if err := env.checkPasswordSource(ctx, stdin); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if pw, _, err := env.readPassword(ctx, stdin, nil, "a@example.com"); err != nil || pw.Reveal() != "first" {
			t.Fatalf("stdin: %q, %v; want the first line every time", pw.Reveal(), err)
		}
	}

	missing := &Env{}
	if err := missing.checkPasswordSource(ctx, passwordSources{File: filepath.Join(t.TempDir(), "none")}); ExitCode(err) != ExNoInput {
		t.Fatalf("missing file: exit %d (%v), want %d", ExitCode(err), err, ExNoInput)
	}
}

// TestCheckPasswordSourceBounded checks that a password command that
// never ends is stopped after --timeout, even under a context without
// a deadline (a long-running command's own).
func TestCheckPasswordSourceBounded(t *testing.T) {
	env := &Env{Stderr: &strings.Builder{}}
	env.opts.Timeout = 200 * time.Millisecond
	start := time.Now()
	err := env.checkPasswordSource(context.Background(), passwordSources{Command: "exec sleep 30"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want the deadline", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %s", d)
	}
}
