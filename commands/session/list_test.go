package session

import (
	"encoding/json"
	"testing"

	"msn/keyring"
	"msn/proto"
)

// A cached list is used only when it decodes and matches its version.
func TestCachedList(t *testing.T) {
	cl := proto.NewContactList()
	cl.Version = 7
	cl.Apply(&proto.ListChange{Kind: proto.ChangeAdd, List: proto.ForwardList, Email: "bob@example.com", Name: "Bob", Group: proto.NoGroup, Version: 7})
	data, err := json.Marshal(cl)
	if err != nil {
		t.Fatal(err)
	}
	if got, older := cachedList(keyring.State{ListVersion: 7, List: data}); got == nil || !older || got.Contact("bob@example.com") == nil {
		t.Errorf("good cache: %+v", got)
	}
	for name, st := range map[string]keyring.State{
		"no version":    {List: data},
		"other version": {ListVersion: 8, List: data},
		"corrupt":       {ListVersion: 7, List: json.RawMessage(`{"version":"x"}`)},
		"empty":         {ListVersion: 7},
	} {
		if got, _ := cachedList(st); got != nil {
			t.Errorf("%s: used %+v", name, got)
		}
	}
}
