package commands

import (
	"bytes"
	"context"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"msn/proto/server"
)

func TestSplitNotifyArgs(t *testing.T) {
	for _, tt := range []struct {
		args, recipients, argv []string
		code                   int
	}{
		{args: []string{"bob@example.com", "--", "make", "-j4"}, recipients: []string{"bob@example.com"}, argv: []string{"make", "-j4"}},
		{args: []string{"bob@example.com", "BOB@example.com", "carol@example.com", "--", "a@b.c"},
			recipients: []string{"bob@example.com", "carol@example.com"}, argv: []string{"a@b.c"}},
		{args: []string{"bob@example.com", "make"}, code: ExUsage},
		{args: []string{"bob@example.com", "--lines", "3", "--", "make"}, code: ExUsage},
		{args: []string{"bob@example.com", "--"}, code: ExUsage},
		{args: []string{"bob@example.com"}, code: ExUsage},
		{args: []string{"--", "make"}, code: ExUsage},
		{args: nil, code: ExUsage},
	} {
		r, argv, err := splitNotifyArgs(tt.args)
		if code := ExitCode(err); code != tt.code {
			t.Errorf("%q: exit %d (%v), want %d", tt.args, code, err, tt.code)
			continue
		}
		if err == nil && (!reflect.DeepEqual(r, tt.recipients) || !reflect.DeepEqual(argv, tt.argv)) {
			t.Errorf("%q: recipients %q command %q, want %q %q", tt.args, r, argv, tt.recipients, tt.argv)
		}
	}
}

// TestNotifyBudgetStartsAfterCommand checks that the time the command
// runs does not count against --timeout, with --start, whose message
// comes first, too.
func TestNotifyBudgetStartsAfterCommand(t *testing.T) {
	skipWithoutSh(t)
	w := newTestWorld(t, server.Config{})
	w.timeout = time.Second
	bob := w.peer(t, "bob@example.com")
	defer bob.close()
	env, stdout, stderr := w.env("alice@example.com", strings.NewReader(""))
	opts := notifyOptions{
		Recipients: []string{"bob@example.com"},
		Argv:       []string{"sh", "-c", "sleep 1.2; echo slept"},
		Lines:      defaultNotifyLines,
		Start:      true,
		Session:    w.session("alice@example.com"),
	}
	if err := runNotify(context.Background(), env, opts, make(chan os.Signal)); err != nil {
		t.Fatalf("runNotify: %v; stderr %q", err, stderr.String())
	}
	got := bob.waitFor(t, 2)
	if !strings.HasPrefix(got[0], "STARTED: sh -c") || !strings.HasPrefix(got[1], "OK: sh -c") || !strings.HasSuffix(got[1], "\r\nslept") {
		t.Errorf("bob got %q", got)
	}
	if stdout.String() != "slept\n" || stderr.String() != "" {
		t.Errorf("stdout %q, stderr %q; want only the command's output", stdout.String(), stderr.String())
	}
}

func TestNotifyResult(t *testing.T) {
	offline := withCode(ExUnavailable, errors.New("bob@example.com: offline"))
	temp := withCode(ExTempFail, errors.New("no acknowledgement"))
	for _, tc := range []struct {
		name            string
		status          int
		startErr, end   error
		code            int
		printed, stderr string
	}{
		{"ok", 0, nil, nil, 0, "", ""},
		{"command failed", 3, nil, nil, 3, "", ""},
		{"command failed, message too", 3, nil, offline, 3, "", "msn: bob@example.com: offline\n"},
		{"message failed", 0, nil, offline, ExUnavailable, "msn: bob@example.com: offline\n", ""},
		{"start failed, reported already", 0, temp, nil, ExTempFail, "", ""},
		{"both failed", 0, temp, offline, ExUnavailable, "msn: bob@example.com: offline\n", ""},
	} {
		var stderr, printed bytes.Buffer
		env := &Env{Stderr: &stderr}
		err := notifyResult(env, runOutcome{Status: tc.status}, tc.startErr, tc.end)
		if code := Report(&printed, err); code != tc.code || printed.String() != tc.printed || stderr.String() != tc.stderr {
			t.Errorf("%s: exit %d, printed %q, stderr %q; want %d, %q, %q",
				tc.name, code, printed.String(), stderr.String(), tc.code, tc.printed, tc.stderr)
		}
	}
}
