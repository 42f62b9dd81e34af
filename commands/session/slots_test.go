package session

import (
	"context"
	"fmt"
	"testing"
	"time"

	"msn/proto"
)

// TestTakeLeavesQuietest fills every slot, then checks which
// conversation a new one takes the slot of: the one quiet the longest,
// never one still being answered or handling an invitation, and none
// when all of them are.
func TestTakeLeavesQuietest(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a := NewAnswerer(ctx, nil, time.Second)
	now := time.Now()
	convs := make([]*heldConv, MaxConversations)
	for i := range convs {
		c := newHeldConv(ctx, &proto.Ring{SessionID: fmt.Sprint(i), From: "alice@example.com"})
		c.busy.Store(false)
		// conversation 3 is the quietest, then 7, then the others.
		quiet := time.Duration(i) * time.Millisecond
		switch i {
		case 3:
			quiet = time.Hour
		case 7:
			quiet = time.Minute
		}
		c.last.Store(now.Add(-quiet).UnixNano())
		convs[i] = c
		if left, ok := a.take(c); !ok || left != nil {
			t.Fatalf("slot %d: left %v, ok %v; want a free slot", i, left, ok)
		}
	}
	convs[3].busy.Store(true) // handling a file offer
	newcomer := newHeldConv(ctx, &proto.Ring{SessionID: "new", From: "carol@example.com"})
	left, ok := a.take(newcomer)
	if !ok || left != convs[7] {
		t.Fatalf("left %v, ok %v; want conversation 7, the quietest not busy", left, ok)
	}
	if a.release(convs[7]) {
		t.Error("the conversation left still held a slot")
	}
	if !a.release(newcomer) {
		t.Error("the newcomer held no slot")
	}
	if left, ok := a.take(newcomer); !ok || left != nil {
		t.Fatalf("a released slot was not free: left %v, ok %v", left, ok)
	}
	for _, c := range convs {
		c.busy.Store(true)
	}
	newcomer.busy.Store(true) // still being answered
	if left, ok := a.take(newHeldConv(ctx, &proto.Ring{From: "dave@example.com"})); ok || left != nil {
		t.Errorf("with every conversation busy, take left %v, ok %v; want the ring ignored", left, ok)
	}
	if n := len(a.open); n != MaxConversations {
		t.Errorf("%d slots taken, want %d", n, MaxConversations)
	}
}
