package share

import (
	"encoding/json"
	"reflect"
	"testing"

	"msn/proto"
)

func TestEventRoundTrip(t *testing.T) {
	for _, ev := range []proto.Event{
		&proto.Presence{Email: "bob@example.com", Name: "Bob", Status: proto.StatusBusy, ClientID: "268435492"},
		&proto.Presence{Email: "bob@example.com", Name: "Bob", Status: proto.StatusOnline, Initial: true},
		&proto.Offline{Email: "bob@example.com"},
		&proto.ReverseListChange{Email: "dave@example.com", Name: "Dave", Added: true, Version: 12},
		&proto.ReverseListChange{Email: "dave@example.com", Version: 13},
		&proto.ListChange{Kind: proto.ChangePhone, Email: "bob@example.com", Key: proto.PhoneHome, Value: "555", Group: proto.NoGroup, Version: 14},
		&proto.Ring{SessionID: "1", Addr: "10.0.0.1:1864", Cookie: "c.1", From: "bob@example.com", FromName: "Bob"},
	} {
		e := encodeEvent(ev)
		if e == nil {
			t.Errorf("%T not passed on", ev)
			continue
		}
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var back event
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if got := back.decode(); !reflect.DeepEqual(got, ev) {
			t.Errorf("%#v crossed as %#v", ev, got)
		}
	}
}

func TestEventsKeptByTheHolder(t *testing.T) {
	for _, ev := range []proto.Event{
		&proto.LoggedOut{Reason: "OTH"},
		&proto.Notice{Kind: "NOT", Payload: []byte("x")},
	} {
		if e := encodeEvent(ev); e != nil {
			t.Errorf("%T passed on as %+v", ev, e)
		}
	}
}

func TestUnknownEvent(t *testing.T) {
	for _, e := range []*event{
		{Kind: "from-the-future"},
		{Kind: eventList},
		{Kind: eventRing},
	} {
		if ev := e.decode(); ev != nil {
			t.Errorf("%+v decoded as %#v", e, ev)
		}
	}
}
