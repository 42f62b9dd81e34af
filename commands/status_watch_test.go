package commands

import (
	"testing"

	"msn/commands/session"
	"msn/proto"
)

// A watch shows real changes of forward-list contacts only, and an
// offline change keeps the contact's name. The events are those of
// transcripts/04 (alice's notification connection) and, for carol, who
// is not on alice's forward list but has her on another list, what a
// revival server sends everyone who has you on any list.
func TestWatchShowsRealChanges(t *testing.T) {
	board := session.NewPresence(100)
	for _, ev := range []proto.Event{
		&proto.Presence{Email: "bob@example.com", Name: "Bob", Status: proto.StatusOnline, ClientID: "0", Initial: true}, // ILN 6 NLN bob@example.com Bob 0
	} {
		board.Handle(ev)
	}
	seen := board.Snapshot()
	cl := proto.NewContactList()
	cl.Apply(&proto.ListChange{Kind: proto.ChangeAdd, List: proto.ForwardList, Email: "bob@example.com", Name: "Bob", Group: proto.NoGroup})
	cl.Apply(&proto.ListChange{Kind: proto.ChangeAdd, List: proto.ForwardList, Email: "dave@example.com", Name: "Dave", Group: proto.NoGroup})
	rows := presenceRows(cl, seen)
	shown := newShownPresence(rows)
	forward := map[string]string{"bob@example.com": "Bob", "dave@example.com": "Dave"}

	for _, ev := range []proto.Event{
		&proto.Presence{Email: "bob@example.com", Name: "Bob", Status: proto.StatusBusy, ClientID: "0"},         // NLN BSY bob@example.com Bob 0
		&proto.Presence{Email: "bob@example.com", Name: "Bob", Status: proto.StatusOnline, ClientID: "0"},       // NLN NLN bob@example.com Bob 0
		&proto.Presence{Email: "bob@example.com", Name: "Bob", Status: proto.StatusOnline, ClientID: "0"},       // the same again
		&proto.Presence{Email: "bob@example.com", Name: "Bob Seven", Status: proto.StatusOnline, ClientID: "0"}, // NLN NLN bob@example.com Bob%20Seven 0
		&proto.Presence{Email: "carol@example.com", Name: "Carol", Status: proto.StatusOnline, ClientID: "0"},   // not on the forward list
		&proto.Offline{Email: "carol@example.com"},                                                              // FLN carol@example.com
		&proto.ReverseListChange{Email: "carol@example.com", Added: true, Name: "Carol", Version: 5},            // ADD 0 RL 5 carol@example.com Carol
		&proto.Offline{Email: "bob@example.com"},                                                                // FLN bob@example.com
		&proto.Offline{Email: "bob@example.com"},                                                                // FLN again
		&proto.Offline{Email: "dave@example.com"},                                                               // offline already
		&proto.Presence{Email: "DAVE@example.com", Status: proto.StatusAway, ClientID: "0"},                     // no name: the list's
	} {
		board.Handle(ev)
	}
	var got []session.Change
	for _, c := range board.Changes().Take() {
		if shown.keep(&c, forward) {
			got = append(got, c)
		}
	}
	want := []session.Change{
		{Email: "bob@example.com", Name: "Bob", Status: proto.StatusBusy},
		{Email: "bob@example.com", Name: "Bob", Status: proto.StatusOnline},
		{Email: "bob@example.com", Name: "Bob Seven", Status: proto.StatusOnline},
		{Email: "carol@example.com", Name: "Carol", Reverse: "added"},
		{Email: "bob@example.com", Name: "Bob Seven", Status: proto.StatusOffline},
		{Email: "DAVE@example.com", Name: "Dave", Status: proto.StatusAway},
	}
	if len(got) != len(want) {
		t.Fatalf("shown %d changes, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g := got[i]
		if g.Email != want[i].Email || g.Name != want[i].Name || g.Status != want[i].Status || g.Reverse != want[i].Reverse {
			t.Errorf("change %d = %+v, want %+v", i, g, want[i])
		}
	}
}
