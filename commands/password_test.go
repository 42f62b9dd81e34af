package commands

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPasswordFromReader(t *testing.T) {
	tests := []struct {
		in   string
		want string
		code int
	}{
		{"hunter2\n", "hunter2", 0},
		{"hunter2\r\n", "hunter2", 0},
		{"hunter2", "hunter2", 0},
		{"first\nsecond\n", "first", 0},
		{"\n", "", ExDataErr},
		{"", "", ExDataErr},
		{"with\rcr\n", "", ExDataErr},
		{strings.Repeat("x", maxPassword) + "\n", strings.Repeat("x", maxPassword), 0},
		{strings.Repeat("x", maxPassword+1) + "\n", "", ExDataErr},
	}
	for _, tt := range tests {
		pw, err := passwordFromReader(strings.NewReader(tt.in), "--password-stdin")
		if code := ExitCode(err); code != tt.code {
			t.Errorf("%.20q: code %d, want %d (%v)", tt.in, code, tt.code, err)
			continue
		}
		if err == nil && pw.Reveal() != tt.want {
			t.Errorf("%.20q: got a different password", tt.in)
		}
		if err != nil && strings.TrimSpace(tt.in) != "" && strings.Contains(err.Error(), strings.TrimSpace(tt.in)) {
			t.Errorf("error %q contains the input", err)
		}
	}
}

func TestPasswordFromFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	if err := os.WriteFile(good, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	open := filepath.Join(dir, "open")
	if err := os.WriteFile(open, []byte("s3cret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o644); err != nil {
		t.Fatal(err)
	}
	pw, err := passwordFromFile(good)
	if err != nil || pw.Reveal() != "s3cret" {
		t.Errorf("good file: %v", err)
	}
	if _, err := passwordFromFile(open); ExitCode(err) != ExConfig {
		t.Errorf("readable by others: code %d (%v), want %d", ExitCode(err), err, ExConfig)
	}
	if _, err := passwordFromFile(filepath.Join(dir, "missing")); ExitCode(err) != ExNoInput {
		t.Errorf("missing: code %d (%v), want %d", ExitCode(err), err, ExNoInput)
	}
	if _, err := passwordFromFile(dir); ExitCode(err) == 0 {
		t.Errorf("directory accepted")
	}
}

func TestPasswordFromCommand(t *testing.T) {
	ctx := context.Background()
	pw, err := passwordFromCommand(ctx, "printf 'from-cmd\\nother\\n'", os.Stderr)
	if err != nil || pw.Reveal() != "from-cmd" {
		t.Errorf("first line: %v", err)
	}
	pw, err = passwordFromCommand(ctx, "printf no-newline", os.Stderr)
	if err != nil || pw.Reveal() != "no-newline" {
		t.Errorf("no newline: %v", err)
	}
	if _, err := passwordFromCommand(ctx, "exit 3", os.Stderr); ExitCode(err) != ExConfig {
		t.Errorf("failing command: code %d (%v)", ExitCode(err), err)
	}
	if _, err := passwordFromCommand(ctx, "yes | head -c 100000", os.Stderr); ExitCode(err) != ExDataErr {
		t.Errorf("huge output: code %d (%v)", ExitCode(err), err)
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := passwordFromCommand(short, "sleep 10", os.Stderr); ExitCode(err) != ExTempFail {
		t.Errorf("slow command: code %d (%v)", ExitCode(err), err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("slow command was not stopped")
	}
}

func TestPasswordSourcesCheck(t *testing.T) {
	if err := (passwordSources{Stdin: true, File: "x"}).check(); ExitCode(err) != ExUsage {
		t.Errorf("two sources: %v", err)
	}
	if err := (passwordSources{Command: "x"}).check(); err != nil {
		t.Errorf("one source: %v", err)
	}
}
