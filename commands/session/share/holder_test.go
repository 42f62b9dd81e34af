//go:build linux

package share

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"msn/proto"
)

// serveTest serves b on a fresh socket; the holder is closed with the
// test.
func serveTest(t *testing.T, b Backend) (*Holder, string) {
	t.Helper()
	path := filepath.Join(shortDir(t), "run", "s.sock")
	h, err := Serve(path, "msn up", b)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeHolder(t, h, nil) })
	return h, path
}

// dialTest connects a client; it is closed with the test.
func dialTest(t *testing.T, path string, o DialOptions) *Client {
	t.Helper()
	cl, err := Dial(testContext(t), path, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	return cl
}

func TestHolderAndClients(t *testing.T) {
	b := signIn(t)
	h, path := serveTest(t, b)
	ctx := testContext(t)

	ev1, ev2 := newEvents(), newEvents()
	c1 := dialTest(t, path, DialOptions{Engine: proto.Options{Handler: ev1.handle}, Command: "one"})
	w := c1.Welcome()
	if w.Version != Version || w.Account != "alice@example.com" || c1.Handle() != "alice@example.com" ||
		c1.Protocol() != proto.MSNP8 || w.Holder.PID != os.Getpid() || w.Holder.Command != "msn up" ||
		w.Holder.Clients != 1 || w.Holder.Since == 0 {
		t.Errorf("welcome %+v", w)
	}
	// Who is online is told before Dial returns.
	if evs := ev1.pending(); len(evs) != 1 || !reflect.DeepEqual(evs[0],
		&proto.Presence{Email: "bob@example.com", Name: "Bob", Status: proto.StatusBusy, Initial: true}) {
		t.Errorf("initial presence: %v", evs)
	}
	c2 := dialTest(t, path, DialOptions{Engine: proto.Options{Handler: ev2.handle}, Command: "two"})
	if n := c2.Welcome().Holder.Clients; n != 2 {
		t.Errorf("the second client's welcome counts %d clients", n)
	}
	if n := h.Clients(); n != 2 {
		t.Errorf("Clients() = %d", n)
	}
	ev2.pending()

	// A list change through the first client.
	ch, err := c1.AddContact(ctx, proto.ForwardList, "carol@example.com", "Carol", proto.NoGroup)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Kind != proto.ChangeAdd || ch.List != proto.ForwardList || ch.Email != "carol@example.com" || ch.Version == 0 {
		t.Errorf("change %+v", ch)
	}
	if got := b.appliedChanges(); len(got) != 1 || !reflect.DeepEqual(got[0], ch) {
		t.Errorf("the backend applied %v, want %+v", got, ch)
	}
	// It is published to the other client...
	got, _ := ev2.next(t, func(ev proto.Event) bool { _, ok := ev.(*proto.ListChange); return ok })
	if !reflect.DeepEqual(got, ch) {
		t.Errorf("the second client saw %+v, want %+v", got, ch)
	}
	// ...and not back to the requester: it would have come before the
	// reply, whose frame is queued after.
	for _, ev := range ev1.pending() {
		if _, ok := ev.(*proto.ListChange); ok {
			t.Errorf("the requester was sent its own change %+v", ev)
		}
	}

	if err := c2.SetStatus(ctx, proto.StatusAway); err != nil {
		t.Errorf("SetStatus: %v", err)
	}

	// The switchboard's address is checked by the client's policy: the
	// local server's is a loopback one.
	if addr, _, err := c1.RequestSwitchboard(ctx, ""); !errors.Is(err, proto.ErrBadAddress) {
		t.Errorf("a loopback referral without AllowPrivate: %q, %v", addr, err)
	}
	c3 := dialTest(t, path, DialOptions{Engine: proto.Options{AllowPrivate: true}})
	addr, cookie, err := c3.RequestSwitchboard(ctx, proto.StatusOnline)
	if err != nil {
		t.Fatalf("RequestSwitchboard: %v", err)
	}
	if host, _, err := net.SplitHostPort(addr); err != nil || host != "127.0.0.1" || cookie == "" {
		t.Errorf("referral %q, cookie %q", addr, cookie)
	}
	if !c3.ReferralPolicy().AllowPrivate || c1.ReferralPolicy().AllowPrivate {
		t.Error("policies")
	}

	// Presence reaches every client; Publish leaves it to the holder too.
	if h.Publish(&proto.Presence{Email: "bob@example.com", Status: proto.StatusPhone}) {
		t.Error("Publish of a presence reports it taken")
	}
	for _, e := range []*events{ev1, ev2} {
		ev, _ := e.next(t, isPresenceOf("bob@example.com"))
		if p := ev.(*proto.Presence); p.Status != proto.StatusPhone || p.Initial {
			t.Errorf("presence %+v", p)
		}
	}
	h.Publish(&proto.Offline{Email: "bob@example.com"})
	ev1.next(t, isOffline("bob@example.com"))
	ev2.next(t, isOffline("bob@example.com"))
	// Events a client is not told about are the holder's.
	if h.Publish(&proto.LoggedOut{Reason: "OTH"}) {
		t.Error("Publish of a LoggedOut reports it taken")
	}

	if err := c1.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := c1.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	if _, err := c1.Block(ctx, "bob@example.com"); err == nil {
		t.Error("a request after Close")
	}
}

func TestServerErrorsCrossTheSocket(t *testing.T) {
	b := signIn(t)
	_, path := serveTest(t, b)
	cl := dialTest(t, path, DialOptions{})
	ctx := testContext(t)

	// An unknown account: the server answers with an error code.
	_, direct := b.ns.AddContact(ctx, proto.ForwardList, "nobody@example.com", "", proto.NoGroup)
	_, shared := cl.AddContact(ctx, proto.ForwardList, "nobody@example.com", "", proto.NoGroup)
	if !errors.Is(direct, proto.ErrUnknownUser) || !errors.Is(shared, proto.ErrUnknownUser) {
		t.Fatalf("unknown account: direct %v, shared %v", direct, shared)
	}
	var dse, sse *proto.ServerError
	if !errors.As(direct, &dse) || !errors.As(shared, &sse) || dse.Code != sse.Code {
		t.Errorf("codes: direct %v, shared %v", direct, shared)
	}
	if direct.Error() != shared.Error() {
		t.Errorf("words: direct %q, shared %q", direct, shared)
	}

	// An invalid address: refused before it is sent.
	_, direct = b.ns.AddContact(ctx, proto.ForwardList, "not an address", "", proto.NoGroup)
	_, shared = cl.AddContact(ctx, proto.ForwardList, "not an address", "", proto.NoGroup)
	if direct == nil || shared == nil || direct.Error() != shared.Error() {
		t.Fatalf("invalid address: direct %v, shared %v", direct, shared)
	}
	for _, class := range []error{proto.ErrInvalidArgument, proto.ErrProtocol} {
		if errors.Is(direct, class) != errors.Is(shared, class) {
			t.Errorf("invalid address: direct %v and shared %v differ on %v", direct, shared, class)
		}
	}

	// Adding twice: a list state error.
	if _, err := cl.AddContact(ctx, proto.ForwardList, "carol@example.com", "", proto.NoGroup); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.AddContact(ctx, proto.ForwardList, "carol@example.com", "", proto.NoGroup); !errors.Is(err, proto.ErrListState) {
		t.Errorf("adding twice: %v", err)
	}
	// Only the confirmed change was applied.
	if got := b.appliedChanges(); len(got) != 1 {
		t.Errorf("applied %v", got)
	}
	if err := cl.Err(); err != nil {
		t.Errorf("the client ended: %v", err)
	}
}

func TestRings(t *testing.T) {
	b := signIn(t)
	h, path := serveTest(t, b)
	ring := &proto.Ring{SessionID: "1", Addr: "127.0.0.1:1864", Cookie: "c", From: "bob@example.com", FromName: "Bob"}

	plain := newEvents()
	dialTest(t, path, DialOptions{Engine: proto.Options{Handler: plain.handle}})
	plain.pending()
	if h.Publish(ring) {
		t.Fatal("a ring taken with no client asking for rings")
	}

	oldEv, newEv := newEvents(), newEvents()
	old := dialTest(t, path, DialOptions{Rings: true, Engine: proto.Options{Handler: oldEv.handle}})
	newer := dialTest(t, path, DialOptions{Rings: true, Engine: proto.Options{Handler: newEv.handle}})
	oldEv.pending()
	newEv.pending()

	isRing := func(ev proto.Event) bool { _, ok := ev.(*proto.Ring); return ok }
	if !h.Publish(ring) {
		t.Fatal("a ring not taken")
	}
	got, _ := newEv.next(t, isRing)
	if !reflect.DeepEqual(got, ring) {
		t.Errorf("ring %+v", got)
	}
	// A marker after the ring: what came before it to the others is all
	// they were sent of the ring.
	h.Publish(&proto.Offline{Email: "marker@example.com"})
	for _, e := range []*events{plain, oldEv} {
		if _, skipped := e.next(t, isOffline("marker@example.com")); len(skipped) != 0 {
			t.Errorf("a client other than the newest ringer saw %v", skipped)
		}
	}

	// The newest ringer goes: the older one gets the rings.
	newer.Close()
	waitFor(t, "the ringer to leave", func() bool { return h.Clients() == 2 })
	if !h.Publish(ring) {
		t.Fatal("a ring not taken by the older ringer")
	}
	oldEv.next(t, isRing)
	old.Close()
	waitFor(t, "the ringer to leave", func() bool { return h.Clients() == 1 })
	if h.Publish(ring) {
		t.Error("a ring taken after every ringer left")
	}
}

func TestRingSkipsDroppedRinger(t *testing.T) {
	b := signIn(t)
	h, path := serveTest(t, b)
	oldEv := newEvents()
	dialTest(t, path, DialOptions{Rings: true, Engine: proto.Options{Handler: oldEv.handle}})
	newer := dialTest(t, path, DialOptions{Rings: true})
	oldEv.pending()

	// The newest ringer is dropped (as a slow client is) and has not
	// yet left: the ring must go to the older one, not be lost.
	h.mu.Lock()
	p := h.ringers[len(h.ringers)-1]
	h.mu.Unlock()
	p.cancel()
	if !h.Publish(&proto.Ring{SessionID: "2", From: "bob@example.com"}) {
		t.Fatal("the ring was not taken")
	}
	oldEv.next(t, func(ev proto.Event) bool { _, ok := ev.(*proto.Ring); return ok })
	newer.Close()
}
