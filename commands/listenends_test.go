package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"msn/commands/session"
	"msn/proto/msntest"
	"msn/proto/server"
	"msn/proto/switchboard"
)

// joinWait bounds a test conversation's wait for listen to join: well
// under the 30 s a sender waits in earnest, so that an ignored
// invitation fails the test quickly.
const joinWait = 5 * time.Second

// listenFull runs msn listen as account, as listenAs does, and also
// returns its stderr.
func (w *testWorld) listenFull(ctx context.Context, account string, opts listenOptions, asJSON bool) (out, errOut *msntest.SyncBuffer, wait func() error) {
	env, stdout, stderr := w.env(account, strings.NewReader(""))
	env.opts.JSON = asJSON
	opts.Session = w.session(account)
	ready := make(chan struct{})
	opts.onReady = func() { close(ready) }
	done := make(chan error, 1)
	go func() { done <- runListen(ctx, env, opts) }()
	select {
	case <-ready:
	case err := <-done:
		done <- err
	}
	return stdout, stderr, func() error { return <-done }
}

// talk is one conversation alice opened with bob's listen.
type talk struct {
	sb   *switchboard.Switchboard
	left chan struct{} // closed when bob leaves
}

// openTalk opens a conversation from peer to bob, waits for bob to join
// and sends text.
func openTalk(ctx context.Context, t *testing.T, peer *testPeer, text string) *talk {
	t.Helper()
	tk := &talk{left: make(chan struct{})}
	handler := func(ev switchboard.Event) {
		if l, ok := ev.(*switchboard.Left); ok && l.Email == "bob@example.com" {
			close(tk.left)
		}
	}
	sb, err := switchboard.Open(ctx, peer.res.NS, switchboard.Options{Handler: handler, JoinWait: joinWait})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	tk.sb = sb
	start := time.Now()
	if err := sb.Invite(ctx, "bob@example.com"); err != nil {
		t.Fatalf("%q: bob did not join within %s: %v", text, time.Since(start).Round(time.Millisecond), err)
	}
	if err := sb.SendText(ctx, text, nil); err != nil {
		t.Fatalf("%q: %v", text, err)
	}
	return tk
}

// hasLeft reports whether bob left the conversation.
func (tk *talk) hasLeft() bool {
	select {
	case <-tk.left:
		return true
	default:
		return false
	}
}

// waitLeft waits up to d for bob to leave.
func (tk *talk) waitLeft(t *testing.T, d time.Duration, what string) {
	t.Helper()
	select {
	case <-tk.left:
	case <-time.After(d):
		t.Fatalf("%s: bob did not leave within %s", what, d)
	}
}

// jsonEvents parses listen's JSON output.
func jsonEvents(t *testing.T, out string) []map[string]any {
	t.Helper()
	var evs []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" {
			continue
		}
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		evs = append(evs, ev)
	}
	return evs
}

// endedEvents returns the conversation-ended events.
func endedEvents(evs []map[string]any) []map[string]any {
	var out []map[string]any
	for _, ev := range evs {
		if ev["type"] == "conversation-ended" {
			out = append(out, ev)
		}
	}
	return out
}

// messageTexts returns the texts of the message events.
func messageTexts(evs []map[string]any) []string {
	var out []string
	for _, ev := range evs {
		if ev["type"] == "message" {
			out = append(out, fmt.Sprint(ev["text"]))
		}
	}
	return out
}

// shortIdle makes listen leave a conversation quiet for d, for the test.
func shortIdle(t *testing.T, d time.Duration) {
	old := session.ConversationIdle
	session.ConversationIdle = d
	t.Cleanup(func() { session.ConversationIdle = old })
}

// TestListenLeavesQuietestForNew fills every slot of listen with
// conversations that stay open, and has all but the first two speak
// again, then opens two more: each is answered at once, and the two
// conversations quiet the longest are left (the sender sees bob leave),
// reported on stderr and as JSON events; the others stay.
func TestListenLeavesQuietestForNew(t *testing.T) {
	w := newTestWorld(t, server.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	n := session.MaxConversations + 2
	out, stderr, wait := w.listenFull(ctx, "bob@example.com", listenOptions{}, true)
	alice := w.peer(t, "alice@example.com")
	t.Cleanup(alice.close)
	printed := func(want int) {
		t.Helper()
		waitFor(t, func() bool { return strings.Count(out.String(), `"type":"message"`) == want }, "every message")
	}
	talks := make([]*talk, n)
	for i := range session.MaxConversations {
		talks[i] = openTalk(ctx, t, alice, fmt.Sprintf("conversation %d", i))
	}
	// listen notes a conversation's activity before it prints the
	// message, so once they are printed the first two are the quietest,
	// whatever the scheduling.
	printed(session.MaxConversations)
	for i := 2; i < session.MaxConversations; i++ {
		if err := talks[i].sb.SendText(ctx, fmt.Sprintf("again %d", i), nil); err != nil {
			t.Fatal(err)
		}
	}
	again := session.MaxConversations - 2
	printed(session.MaxConversations + again)
	for i := session.MaxConversations; i < n; i++ {
		talks[i] = openTalk(ctx, t, alice, fmt.Sprintf("conversation %d", i))
	}
	printed(n + again)
	for i := 0; i < 2; i++ {
		talks[i].waitLeft(t, 5*time.Second, fmt.Sprintf("conversation %d", i))
	}
	for i := 2; i < n; i++ {
		if talks[i].hasLeft() {
			t.Errorf("conversation %d was left, want only the two quietest", i)
		}
	}
	cancel()
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	evs := jsonEvents(t, out.String())
	if got := messageTexts(evs); len(got) != n+again {
		t.Errorf("listen printed %d messages, want %d: %q", len(got), n+again, got)
	}
	ended := endedEvents(evs)
	if len(ended) != 2 {
		t.Fatalf("%d conversation-ended events, want 2: %s", len(ended), out)
	}
	// The first two are left, in either order: they were quiet for
	// about as long.
	quietest := map[any]bool{talks[0].sb.SessionID(): true, talks[1].sb.SessionID(): true}
	for i, ev := range ended {
		if !quietest[ev["conversation"]] || ev["cause"] != "full" || ev["broken"] != false ||
			fmt.Sprint(ev["with"]) != "[alice@example.com]" || !strings.Contains(fmt.Sprint(ev["reason"]), "16 conversations were open") {
			t.Errorf("event %d: %v, want conversation 0 or 1 left for a new one", i, ev)
		}
		delete(quietest, ev["conversation"])
	}
	if got := strings.Count(stderr.String(), "msn: listen: left the conversation with alice@example.com: 16 conversations were open"); got != 2 {
		t.Errorf("stderr says %d times that a conversation was left, want 2:\n%s", got, stderr)
	}
}

// TestListenLeavesIdleConversations has 16 conversations go quiet (as a
// stalled connection does, one of them stopped in the middle of a
// message) while one more stays busy: listen leaves the quiet ones
// after the idle bound, which frees their slots, and keeps the busy one.
// Two new conversations then take free slots without any being left for
// them.
func TestListenLeavesIdleConversations(t *testing.T) {
	const idle = 400 * time.Millisecond
	shortIdle(t, idle)
	proxy := newCutProxy(t, "STALL-HERE", true)
	w := newTestWorld(t, server.Config{AdvertiseSB: proxy.addr()})
	proxy.setTarget(w.srv.SBAddr())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, stderr, wait := w.listenFull(ctx, "bob@example.com", listenOptions{}, true)
	alice := w.peer(t, "alice@example.com")
	t.Cleanup(alice.close)

	busy := openTalk(ctx, t, alice, "busy")
	quiet := make([]*talk, session.MaxConversations-1)
	for i := range quiet {
		quiet[i] = openTalk(ctx, t, alice, fmt.Sprintf("quiet %d", i))
	}
	// The last one stops in the middle of a message: the server
	// acknowledges it, listen never sees its end.
	if err := quiet[len(quiet)-1].sb.SendText(ctx, "STALL-HERE and the rest", nil); err != nil {
		t.Fatal(err)
	}
	typing := time.NewTicker(idle / 4)
	defer typing.Stop()
	deadline := time.After(3 * idle)
	for waiting := true; waiting; {
		select {
		case <-typing.C:
			if err := busy.sb.SendTyping(ctx); err != nil {
				t.Fatal(err)
			}
		case <-deadline:
			waiting = false
		}
	}
	for i, tk := range quiet {
		tk.waitLeft(t, 5*time.Second, fmt.Sprintf("quiet conversation %d", i))
	}
	if busy.hasLeft() {
		t.Error("listen left a conversation that was not quiet")
	}
	fresh := []*talk{openTalk(ctx, t, alice, "fresh 0"), openTalk(ctx, t, alice, "fresh 1")}
	if err := busy.sb.SendText(ctx, "still here", nil); err != nil {
		t.Fatal(err)
	}
	for _, tk := range fresh {
		if tk.hasLeft() {
			t.Error("a new conversation was left at once")
		}
	}
	waitFor(t, func() bool { return strings.Contains(out.String(), "still here") }, "the busy conversation's last message")
	cancel()
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	ended := endedEvents(jsonEvents(t, out.String()))
	if len(ended) != len(quiet) {
		t.Fatalf("%d conversation-ended events, want %d: %s", len(ended), len(quiet), out)
	}
	for _, ev := range ended {
		if ev["cause"] != "idle" || ev["broken"] != false || !strings.HasPrefix(fmt.Sprint(ev["reason"]), "nothing came for ") {
			t.Errorf("event %v, want a conversation left idle", ev)
		}
	}
	if got := strings.Count(stderr.String(), "msn: listen: left the conversation with alice@example.com: nothing came for "); got != len(quiet) {
		t.Errorf("stderr says %d times that a quiet conversation was left, want %d:\n%s", got, len(quiet), stderr)
	}
	if strings.Contains(stderr.String(), "conversations were open") {
		t.Errorf("a conversation was left for a new one, though slots were free:\n%s", stderr)
	}
}

// TestListenReportsBrokenConversation cuts listen's connection to the
// switchboard in the middle of a message that the server acknowledged to
// the sender: listen says so on stderr (and as a JSON event), naming the
// contact and the cause, and the slot is free again: after 16 broken
// conversations a new one is answered without another being left.
func TestListenReportsBrokenConversation(t *testing.T) {
	for _, asJSON := range []bool{false, true} {
		t.Run(fmt.Sprintf("json=%v", asJSON), func(t *testing.T) {
			proxy := newCutProxy(t, "CUT-HERE", false)
			w := newTestWorld(t, server.Config{AdvertiseSB: proxy.addr()})
			proxy.setTarget(w.srv.SBAddr())
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			out, stderr, wait := w.listenFull(ctx, "bob@example.com", listenOptions{}, asJSON)
			alice := w.peer(t, "alice@example.com")
			t.Cleanup(alice.close)
			for i := 0; i < session.MaxConversations; i++ {
				tk := openTalk(ctx, t, alice, fmt.Sprintf("before %d", i))
				if err := tk.sb.SendText(ctx, "CUT-HERE in the middle", nil); err != nil {
					t.Fatalf("the sender was not told the message went through: %v", err)
				}
			}
			const line = "msn: listen: the conversation with alice@example.com broke: "
			waitFor(t, func() bool { return strings.Count(stderr.String(), line) == session.MaxConversations }, "16 broken conversations reported")
			openTalk(ctx, t, alice, "after")
			waitFor(t, func() bool { return strings.Contains(out.String(), "after") }, "the message after")
			cancel()
			if err := wait(); err != nil {
				t.Fatal(err)
			}
			if s := stderr.String(); !strings.Contains(s, line+"the connection was cut in the middle of a message\n") &&
				!strings.Contains(s, "in the middle of") {
				t.Errorf("stderr does not say the conversation was cut in the middle of a message:\n%s", s)
			}
			if strings.Contains(stderr.String(), "left the conversation") {
				t.Errorf("a conversation was left, though the broken ones freed their slots:\n%s", stderr)
			}
			if strings.Contains(out.String(), "CUT-HERE") {
				t.Errorf("listen printed the message that was cut: %s", out)
			}
			if !asJSON {
				if got := strings.Count(out.String(), "alice@example.com: before "); got != session.MaxConversations {
					t.Errorf("listen printed %d of the messages before the cut, want %d:\n%s", got, session.MaxConversations, out)
				}
				return
			}
			ended := endedEvents(jsonEvents(t, out.String()))
			if len(ended) != session.MaxConversations {
				t.Fatalf("%d conversation-ended events, want %d: %s", len(ended), session.MaxConversations, out)
			}
			for _, ev := range ended {
				if ev["cause"] != "broken" || ev["broken"] != true || fmt.Sprint(ev["with"]) != "[alice@example.com]" ||
					!strings.Contains(fmt.Sprint(ev["reason"]), "in the middle of") || ev["conversation"] == "" {
					t.Errorf("event %v, want a broken conversation with alice", ev)
				}
			}
		})
	}
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestConversationEndedOutput checks what listen says of an ended
// conversation: a broken one even with --quiet, a left one not; the
// peer's address escaped on stderr and exact in JSON; the JSON event
// only when --from lets a participant through.
func TestConversationEndedOutput(t *testing.T) {
	broken := session.Trouble{Kind: session.ConversationBroken, Conv: "7", With: []string{"mallory\x1b[2J@example.com"}, Err: io.ErrUnexpectedEOF}
	idle := session.Trouble{Kind: session.LeftIdle, Conv: "8", With: []string{"alice@example.com"}, Quiet: 5 * time.Minute}
	var out, errOut msntest.SyncBuffer
	l := &listener{env: &Env{Stdout: &out, Stderr: &errOut}, account: "bob@example.com"}
	l.env.opts.Quiet = true
	for _, tr := range []session.Trouble{broken, idle} {
		if err := l.conversationEnded(tr); err != nil {
			t.Fatal(err)
		}
	}
	want := `msn: listen: the conversation with mallory\x1b[2J@example.com broke: the connection was cut in the middle of a message` + "\n"
	if got := errOut.String(); got != want {
		t.Errorf("stderr with --quiet %q, want %q", got, want)
	}

	l.env.opts.Quiet, l.env.opts.JSON, l.opts.From = false, true, []string{"alice@example.com"}
	out, errOut = msntest.SyncBuffer{}, msntest.SyncBuffer{}
	for _, tr := range []session.Trouble{broken, idle} {
		if err := l.conversationEnded(tr); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Count(errOut.String(), "\n"); got != 2 {
		t.Errorf("stderr has %d lines, want 2: %q", got, errOut.String())
	}
	evs := jsonEvents(t, out.String())
	if len(evs) != 1 || evs[0]["conversation"] != "8" || evs[0]["cause"] != "idle" || evs[0]["reason"] != "nothing came for 5m0s" {
		t.Errorf("JSON %v, want only the event of alice's conversation", evs)
	}
}
