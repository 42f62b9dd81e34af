package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"msn/proto"
)

// stuckNotifier is a notification side whose switchboard dials wait
// until they are let go (failing then) or their context ends: every
// conversation stays busy being answered meanwhile.
type stuckNotifier struct {
	letGo   chan struct{} // each receive ends one waiting dial
	started chan struct{} // one token per dial begun
}

func (n *stuckNotifier) Handle() string           { return "bob@example.com" }
func (n *stuckNotifier) Protocol() proto.Protocol { return proto.MSNP8 }
func (n *stuckNotifier) RequestSwitchboard(context.Context, proto.Status) (string, string, error) {
	return "", "", errors.New("not used")
}
func (n *stuckNotifier) ReferralPolicy() proto.ReferralPolicy {
	return proto.ReferralPolicy{AllowPrivate: true}
}
func (n *stuckNotifier) Debug() io.Writer { return nil }

// Dial waits to be let go, and fails.
func (n *stuckNotifier) Dial(ctx context.Context, addr string) (net.Conn, error) {
	n.started <- struct{}{}
	select {
	case <-n.letGo:
		return nil, errors.New("let go")
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// TestRingWaitsForBusySlot keeps all 16 conversations busy being
// answered: a 17th ring waits for a slot and is ignored, with a
// warning, once RingWait has passed; an 18th is answered as soon as one
// of the 16 is done.
func TestRingWaitsForBusySlot(t *testing.T) {
	old := RingWait
	RingWait = 200 * time.Millisecond
	t.Cleanup(func() { RingWait = old })
	ctx, cancel := context.WithCancel(context.Background())
	ns := &stuckNotifier{letGo: make(chan struct{}), started: make(chan struct{}, 2*MaxConversations)}
	a := NewAnswerer(ctx, ns, 10*time.Second)
	troubles := make(chan Trouble, 4*MaxConversations)
	a.Trouble = func(tr Trouble) { troubles <- tr }
	defer func() {
		cancel()
		a.Wait()
	}()
	ring := func(i int) *proto.Ring {
		return &proto.Ring{SessionID: fmt.Sprint(i), Addr: "127.0.0.1:1864", Cookie: "c", From: fmt.Sprintf("p%d@example.com", i)}
	}
	dialed := func(n int) {
		t.Helper()
		for i := 0; i < n; i++ {
			select {
			case <-ns.started:
			case <-time.After(5 * time.Second):
				t.Fatalf("%d of %d answers began", i, n)
			}
		}
	}
	for i := 0; i < MaxConversations; i++ {
		a.Answer(ring(i))
	}
	dialed(MaxConversations)

	start := time.Now()
	a.Answer(ring(100))
	select {
	case tr := <-troubles:
		if tr.Kind != TooManyConversations || tr.From != "p100@example.com" {
			t.Fatalf("trouble %+v, want the 17th ring ignored", tr)
		}
		if waited := time.Since(start); waited < RingWait {
			t.Errorf("the ring was ignored after %s, before RingWait %s", waited, RingWait)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the 17th ring was neither answered nor ignored")
	}

	a.Answer(ring(101))
	select {
	case <-ns.started:
		t.Fatal("an 18th answer began while every slot was busy")
	case <-time.After(50 * time.Millisecond):
	}
	ns.letGo <- struct{}{} // one answer fails: its slot is free
	dialed(1)
	select {
	case tr := <-troubles:
		if tr.Kind != CannotAnswer {
			t.Errorf("trouble %+v, want only the failed answer", tr)
		}
	case <-time.After(5 * time.Second):
		t.Error("the failed answer was not reported")
	}
}
