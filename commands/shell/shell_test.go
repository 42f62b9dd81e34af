package shell

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestRunPassesStreamsAndEnvironment(t *testing.T) {
	var out, errOut bytes.Buffer
	err := Run(context.Background(), Command{
		Line:   `read line; printf '%s %s' "$line" "$GREETING"; echo oops >&2`,
		Stdin:  strings.NewReader("hello\n"),
		Stdout: &out, Stderr: &errOut,
		Env: []string{"GREETING=world"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != "hello world" || errOut.String() != "oops\n" {
		t.Fatalf("stdout %q, stderr %q", out.String(), errOut.String())
	}
}

func TestRunReportsFailure(t *testing.T) {
	if err := Run(context.Background(), Command{Line: "exit 3"}); err == nil || !strings.Contains(err.Error(), "exit status 3") {
		t.Fatalf("err = %v, want exit status 3", err)
	}
}

func TestRunStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := Run(ctx, Command{Line: "sleep 10", WaitDelay: 100 * time.Millisecond})
	if err == nil {
		t.Fatal("a killed command reported success")
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("Run returned after %s", time.Since(start))
	}
}
