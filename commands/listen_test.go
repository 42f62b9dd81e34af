package commands

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"msn/commands/session"
	"msn/proto"
	"msn/proto/msntest"
	"msn/proto/server"
	"msn/proto/switchboard"
)

// TestListenPrintsHostileText checks that what a peer controls is
// escaped in text output and exact in JSON.
func TestListenPrintsHostileText(t *testing.T) {
	in := incoming{
		time: time.Unix(0, 0), from: "mallory@example.com", name: "Bob\u202e\x1b[2J", conv: "1",
		contentType: "text/plain", text: "hi\n\x1b]0;pwned\x07\u200b",
	}
	var out msntest.SyncBuffer
	l := &listener{env: &Env{Stdout: &out}, account: "bob@example.com"}
	if err := l.print(in); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), `mallory@example.com: hi\n\x1b]0;pwned\a\u200b`+"\n"; got != want {
		t.Errorf("text output %q, want %q", got, want)
	}

	out = msntest.SyncBuffer{}
	l.env.opts.JSON = true
	if err := l.print(in); err != nil {
		t.Fatal(err)
	}
	line := out.String()
	if strings.Count(line, "\n") != 1 || strings.ContainsAny(line[:len(line)-1], "\x1b\x07\n") {
		t.Errorf("JSON output not one clean line: %q", line)
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(line), &obj); err != nil {
		t.Fatal(err)
	}
	if obj["text"] != in.text || obj["name"] != in.name || obj["type"] != "message" || obj["time"] != "1970-01-01T00:00:00.000Z" {
		t.Errorf("JSON %v", obj)
	}
}

// TestListenUnknownContentType sends a message of a type listen does not
// know, and a typing notification: both are shown, neither is dropped.
func TestListenUnknownContentType(t *testing.T) {
	w := newTestWorld(t, server.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, wait := w.listen(ctx, "bob@example.com", listenOptions{Count: 2, Typing: true})
	sb := w.aliceTalksToBob(ctx, t)
	if err := sb.SendTyping(ctx); err != nil {
		t.Fatal(err)
	}
	m := &proto.Message{Headers: []proto.Header{{Name: "MIME-Version", Value: "1.0"}, {Name: "Content-Type", Value: "application/x-foo"}}, Body: []byte("\x00\x01")}
	if err := sb.Send(ctx, m, switchboard.AckFull); err != nil {
		t.Fatal(err)
	}
	if err := sb.SendText(ctx, "after", nil); err != nil {
		t.Fatal(err)
	}
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	want := "alice@example.com: [typing]\nalice@example.com: [content-type application/x-foo]\nalice@example.com: after\n"
	if got := out.String(); got != want {
		t.Errorf("listen printed %q, want %q", got, want)
	}
}

// TestListenTypingJSON checks that a typing notification in JSON names
// the sender's friendly name, as a message does.
func TestListenTypingJSON(t *testing.T) {
	w := newTestWorld(t, server.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, wait := w.listenJSON(ctx, "bob@example.com", listenOptions{Count: 1, Typing: true})
	sb := w.aliceTalksToBob(ctx, t)
	if err := sb.SendTyping(ctx); err != nil {
		t.Fatal(err)
	}
	if err := sb.SendText(ctx, "hi", nil); err != nil {
		t.Fatal(err)
	}
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(out.String(), "\n")
	if !strings.Contains(first, `"type":"typing"`) || !strings.Contains(first, `"name":"Alice"`) || !strings.Contains(first, `"from":"alice@example.com"`) {
		t.Errorf("typing event %s, want its type, sender and name", first)
	}
}

// TestListenSessionEnds checks the exit status when the server ends the
// session: signed in elsewhere is 77, a shutdown is 75.
func TestListenSessionEnds(t *testing.T) {
	w := newTestWorld(t, server.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	_, wait := w.listen(ctx, "bob@example.com", listenOptions{})
	elsewhere := w.peer(t, "bob@example.com")
	err := wait()
	elsewhere.close()
	if ExitCode(err) != ExNoPerm || !strings.Contains(err.Error(), "signed in elsewhere") {
		t.Errorf("signed in elsewhere: %v (exit %d)", err, ExitCode(err))
	}

	_, wait = w.listen(ctx, "bob@example.com", listenOptions{})
	w.srv.Kick("bob@example.com")
	if err := wait(); ExitCode(err) != ExTempFail || !strings.Contains(err.Error(), "shutting down") {
		t.Errorf("shutdown: %v (exit %d)", err, ExitCode(err))
	}
}

// TestListenInterrupted: an interrupt ends listen with 0, or with 130
// when --count was not reached.
func TestListenInterrupted(t *testing.T) {
	w := newTestWorld(t, server.Config{})
	for _, count := range []int{0, 5} {
		ctx, cancel := context.WithCancel(context.Background())
		_, wait := w.listen(ctx, "bob@example.com", listenOptions{Count: count})
		cancel()
		err := wait()
		if want := map[int]int{0: ExOK, 5: ExInterrupted}[count]; ExitCode(err) != want {
			t.Errorf("--count %d: %v, exit %d, want %d", count, err, ExitCode(err), want)
		}
	}
	// An interrupt before listen is online counts the same.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	env, _, _ := w.env("bob@example.com", strings.NewReader(""))
	if err := runListen(ctx, env, listenOptions{Session: w.session("bob@example.com")}); err != nil {
		t.Errorf("interrupted while logging in: %v", err)
	}
}

// TestListenLeavesEmptyConversations sends more one-shot messages than
// listen keeps conversations open: it must leave each one its sender
// left, or it would stop answering.
func TestListenLeavesEmptyConversations(t *testing.T) {
	w := newTestWorld(t, server.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := session.MaxConversations + 4
	out, wait := w.listen(ctx, "bob@example.com", listenOptions{Count: n})
	for i := 0; i < n; i++ {
		env, _, stderr := w.env("alice@example.com", strings.NewReader(""))
		err := runSend(ctx, env, sendOptions{Recipients: []string{"bob@example.com"}, Text: "hi", HasText: true,
			Window: sendWindow, Session: w.session("alice@example.com")})
		if err != nil {
			t.Fatalf("send %d: %v; %s", i, err, stderr)
		}
	}
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(out.String(), "alice@example.com: hi\n"); got != n {
		t.Errorf("listen printed %d messages, want %d", got, n)
	}
}

// aliceTalksToBob signs alice in and opens a conversation with bob,
// both closed at the end of the test.
func (w *testWorld) aliceTalksToBob(ctx context.Context, t *testing.T) *switchboard.Switchboard {
	t.Helper()
	alice := w.peer(t, "alice@example.com")
	t.Cleanup(alice.close)
	sb, err := switchboard.Open(ctx, alice.res.NS, switchboard.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	if err := sb.Invite(ctx, "bob@example.com"); err != nil {
		t.Fatal(err)
	}
	return sb
}
