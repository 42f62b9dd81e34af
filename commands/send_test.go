package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"msn/commands/session"
	"msn/proto"
	"msn/proto/server"
	"msn/proto/switchboard"
)

func TestSplitSendArgs(t *testing.T) {
	tests := []struct {
		args, to         []string
		recipients, text []string
		code             int
	}{
		{args: []string{"bob@example.com", "hi", "there"}, recipients: []string{"bob@example.com"}, text: []string{"hi", "there"}},
		{args: []string{"bob@example.com", "carol@example.com"}, recipients: []string{"bob@example.com", "carol@example.com"}},
		{args: []string{"bob@example.com", "--", "a@b.c", "wrote"}, recipients: []string{"bob@example.com"}, text: []string{"a@b.c", "wrote"}},
		{args: []string{"bob@example.com", "--", "-v"}, recipients: []string{"bob@example.com"}, text: []string{"-v"}},
		{args: []string{"a@b.c", "wrote"}, to: []string{"bob@example.com"}, recipients: []string{"bob@example.com"}, text: []string{"a@b.c", "wrote"}},
		{args: []string{"bob@example.com", "BOB@example.com", "hi"}, recipients: []string{"bob@example.com"}, text: []string{"hi"}},
		{args: []string{"bob@example.com", "mail me@home"}, recipients: []string{"bob@example.com"}, text: []string{"mail me@home"}},
		{args: []string{"bob@example.com", "-i"}, code: ExUsage},
		{args: []string{"hello"}, code: ExUsage},
		{args: nil, code: ExUsage},
		{args: []string{"x"}, to: []string{"not an address"}, code: ExUsage},
	}
	for _, tt := range tests {
		r, text, err := splitSendArgs(tt.args, tt.to)
		if code := ExitCode(err); code != tt.code {
			t.Errorf("%q %q: exit %d (%v), want %d", tt.args, tt.to, code, err, tt.code)
			continue
		}
		if err == nil && (!reflect.DeepEqual(r, tt.recipients) || !reflect.DeepEqual(text, tt.text) && len(text)+len(tt.text) > 0) {
			t.Errorf("%q %q: recipients %q text %q, want %q %q", tt.args, tt.to, r, text, tt.recipients, tt.text)
		}
	}
}

func TestEscapeDisplay(t *testing.T) {
	tests := map[string]string{
		"plain text, ünïcödé ☃":    "plain text, ünïcödé ☃",
		"two\r\nlines":             `two\r\nlines`,
		"\x1b[31mred\x1b[0m":       `\x1b[31mred\x1b[0m`,
		"evil\u202egnp.exe":        `evil\u202egnp.exe`,
		"zero\u200bwidth\ufeff":    `zero\u200bwidth\ufeff`,
		"del\x7f c1\u0085 nul\x00": `del\x7f c1\u0085 nul\x00`,
		"line\u2028sep":            `line\u2028sep`,
		"tab\there":                `tab\there`,
	}
	for in, want := range tests {
		if got := escapeDisplay(in); got != want {
			t.Errorf("escapeDisplay(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadLine(t *testing.T) {
	ls := readLines(strings.NewReader("one\r\ntwo\n\nlast"))
	var got []string
	for l := range ls.lines {
		got = append(got, l)
	}
	if want := []string{"one", "two", "", "last"}; !reflect.DeepEqual(got, want) || ls.err != nil {
		t.Errorf("lines %q, err %v; want %q", got, ls.err, want)
	}
	long := strings.Repeat("x", maxSendInput+1) + "\nnext\n"
	ls = readLines(strings.NewReader(long))
	for range ls.lines {
		t.Error("a line longer than the limit was passed on")
	}
	if !errors.Is(ls.err, errLineTooLong) {
		t.Errorf("err %v, want errLineTooLong", ls.err)
	}
}

func TestReadMessage(t *testing.T) {
	for in, code := range map[string]int{
		"hello\n\n":                         ExOK,
		"\n":                                ExDataErr,
		"bad \xff utf-8":                    ExDataErr,
		strings.Repeat("x", 1<<20+1):        ExDataErr,
		strings.Repeat("x", 1<<20-1) + "\n": ExOK,
	} {
		env := &Env{Stdin: strings.NewReader(in)}
		text, err := readMessage(env)
		if ExitCode(err) != code {
			t.Errorf("%.20q: exit %d (%v), want %d", in, ExitCode(err), err, code)
		}
		if err == nil && strings.HasSuffix(text, "\n") {
			t.Errorf("%.20q: trailing newline kept", in)
		}
	}
}

func TestSwitchboardExitCodes(t *testing.T) {
	tests := []struct {
		err  error
		code int
	}{
		{&recipientError{email: "bob@example.com", err: proto.ErrOffline}, ExUnavailable},
		{&recipientError{email: "bob@example.com", err: &session.StillOffline{Err: proto.ErrOffline, Wait: time.Second}}, ExTempFail},
		{&recipientError{email: "bob@example.com", err: &proto.ServerError{Code: 205}}, ExNoUser},
		{switchboard.ErrNoAnswer, ExUnavailable},
		{&switchboard.NAKError{TrID: 3}, ExUnavailable},
		{switchboard.ErrNoParticipants, ExUnavailable},
		{switchboard.ErrUnconfirmed, ExTempFail},
		{proto.ErrNotAllowed, ExNoPerm},
		{fmt.Errorf("x: %w", switchboard.ErrMessageTooLong), ExDataErr},
	}
	for _, tt := range tests {
		if got := ExitCode(tt.err); got != tt.code {
			t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.code)
		}
	}
	e := &recipientError{email: "bob@example.com", err: &session.StillOffline{Err: proto.ErrOffline, Wait: time.Minute}}
	if got := e.Error(); got != "bob@example.com: offline, hidden, or not accepting messages from you, and did not come online within --wait-online 1m0s" {
		t.Errorf("Error() = %q", got)
	}
}

// TestSendToListener sends one message and some lines with -i into a
// listen running in process, and checks that no goroutine is left.
func TestSendToListener(t *testing.T) {
	w := newTestWorld(t, server.Config{})
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, wait := w.listen(ctx, "bob@example.com", listenOptions{Count: 4})

	env, stdout, stderr := w.env("alice@example.com", strings.NewReader(""))
	err := runSend(ctx, env, sendOptions{Recipients: []string{"bob@example.com"}, Text: "hello", HasText: true,
		Window: sendWindow, Session: w.session("alice@example.com")})
	if err != nil || stdout.String() != "sent to bob@example.com\n" {
		t.Fatalf("send: %v; stdout %q stderr %q", err, stdout, stderr)
	}
	env, stdout, stderr = w.env("alice@example.com", strings.NewReader("one\n\ntwo\nthree\n"))
	err = runSend(ctx, env, sendOptions{Recipients: []string{"bob@example.com"}, Interactive: true, Typing: true,
		Window: sendWindow, Session: w.session("alice@example.com")})
	if err != nil || stdout.String() != "sent 3 messages to bob@example.com\n" {
		t.Fatalf("send -i: %v; stdout %q stderr %q", err, stdout, stderr)
	}
	if err := wait(); err != nil {
		t.Fatalf("listen: %v", err)
	}
	want := "alice@example.com: hello\nalice@example.com: one\nalice@example.com: two\nalice@example.com: three\n"
	if got := out.String(); got != want {
		t.Errorf("listen printed %q, want %q", got, want)
	}
}

// TestSendInteractiveReopens has the peer leave in the middle of send -i:
// the next line reopens the conversation, invites the peer again, and
// every line arrives once, in order.
func TestSendInteractiveReopens(t *testing.T) {
	w := newTestWorld(t, server.Config{})
	bob := w.peer(t, "bob@example.com")
	defer bob.close()
	in, feed := io.Pipe()
	env, stdout, stderr := w.env("alice@example.com", in)
	left := make(chan struct{}, 4)
	done := make(chan error, 1)
	go func() {
		done <- runSend(context.Background(), env, sendOptions{Recipients: []string{"bob@example.com"}, Interactive: true,
			Window: sendWindow, Session: w.session("alice@example.com"), onLeft: func() { left <- struct{}{} }})
	}()
	fmt.Fprintln(feed, "one")
	fmt.Fprintln(feed, "two")
	bob.waitFor(t, 2)
	bob.leaveAll(true)
	select {
	case <-left:
	case <-time.After(5 * time.Second):
		t.Fatal("the sender did not see the peer leave")
	}
	fmt.Fprintln(feed, "three")
	fmt.Fprintln(feed, "four")
	feed.Close()
	if err := <-done; err != nil {
		t.Fatalf("send -i: %v; stderr %q", err, stderr)
	}
	if got, want := bob.waitFor(t, 4), []string{"one", "two", "three", "four"}; !reflect.DeepEqual(got, want) {
		t.Errorf("peer got %q, want %q", got, want)
	}
	if got := stdout.String(); got != "sent 4 messages to bob@example.com\n" {
		t.Errorf("stdout %q", got)
	}
}

// TestSendWaitOnline waits for an offline recipient and sends once they
// come online.
func TestSendWaitOnline(t *testing.T) {
	w := newTestWorld(t, server.Config{})
	env, stdout, stderr := w.env("alice@example.com", strings.NewReader(""))
	done := make(chan error, 1)
	go func() {
		done <- runSend(context.Background(), env, sendOptions{Recipients: []string{"bob@example.com"}, Text: "late", HasText: true,
			WaitOnline: 5 * time.Second, Window: sendWindow, Session: w.session("alice@example.com")})
	}()
	deadline := time.Now().Add(5 * time.Second)
	for !w.srv.Online("alice@example.com") {
		if time.Now().After(deadline) {
			t.Fatal("alice did not sign in")
		}
		time.Sleep(5 * time.Millisecond)
	}
	bob := w.peer(t, "bob@example.com")
	defer bob.close()
	if err := <-done; err != nil {
		t.Fatalf("send: %v; stderr %q", err, stderr)
	}
	if got := bob.waitFor(t, 1); got[0] != "late" || stdout.String() != "sent to bob@example.com\n" {
		t.Errorf("peer got %q; stdout %q", got, stdout)
	}
}
