package session

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"msn/proto"
)

func TestPresenceWaitOnlineAfterMark(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPresence(0)
		p.Handle(&proto.Presence{Email: "Bob@example.com", Status: proto.StatusOnline, Name: "Bob"})
		// Online before the mark: the wait needs a newer event.
		mark := p.Mark()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		done := make(chan error, 1)
		go func() { done <- p.WaitOnline(ctx, "bob@example.com", mark) }()
		synctest.Wait()
		select {
		case err := <-done:
			t.Fatalf("WaitOnline returned %v on an event before the mark", err)
		default:
		}
		p.Handle(&proto.Presence{Email: "bob@example.com", Status: proto.StatusHidden})
		synctest.Wait()
		select {
		case err := <-done:
			t.Fatalf("WaitOnline returned %v for a hidden contact", err)
		default:
		}
		p.Handle(&proto.Presence{Email: "bob@example.com", Status: proto.StatusBusy})
		if err := <-done; err != nil {
			t.Fatalf("WaitOnline: %v", err)
		}
		if s, ok := p.Lookup("BOB@example.com"); !ok || s.Status != proto.StatusBusy || s.Name != "Bob" {
			t.Fatalf("Lookup = %+v, %v; want busy, the name kept", s, ok)
		}
	})
}

func TestPresenceWaitOnlineEndsWithContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPresence(0)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start := time.Now()
		err := p.WaitOnline(ctx, "bob@example.com", 0)
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != time.Second {
			t.Fatalf("WaitOnline = %v after %s", err, time.Since(start))
		}
	})
}

func TestPresenceQueuesChangesUntilSnapshot(t *testing.T) {
	p := NewPresence(2)
	p.Handle(&proto.Presence{Email: "bob@example.com", Status: proto.StatusOnline})
	p.Handle(&proto.ReverseListChange{Email: "carol@example.com", Added: true})
	p.Handle(&proto.Offline{Email: "bob@example.com"})
	if n := p.Changes().TakeDropped(); n != 1 {
		t.Fatalf("dropped %d changes, want 1", n)
	}
	changes := p.Changes().Take()
	if len(changes) != 2 || changes[1].Reverse != "added" {
		t.Fatalf("changes = %+v", changes)
	}
	p.Handle(&proto.Presence{Email: "dave@example.com", Status: proto.StatusAway})
	snap := p.Snapshot()
	if snap["bob@example.com"].Status != proto.StatusOffline || snap["dave@example.com"].Status != proto.StatusAway {
		t.Fatalf("snapshot = %+v", snap)
	}
	if _, ok := snap["carol@example.com"]; ok {
		t.Fatal("a reverse-list change counted as presence")
	}
	if got := p.Changes().Take(); len(got) != 0 {
		t.Fatalf("changes after the snapshot: %+v", got)
	}
	if NewPresence(0).Changes() != nil {
		t.Fatal("a tracker without a queue has one")
	}
}
