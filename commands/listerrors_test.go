package commands

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"msn/keyring"
	"msn/proto"
)

// Each contact-list refusal has its own message and exit code.
func TestListRefusals(t *testing.T) {
	tests := []struct {
		code int
		list proto.List
		exit int
		msg  string
	}{
		{207, proto.ForwardList, ExNoUser, "bob@example.com: no such account"},
		{205, proto.ForwardList, ExNoUser, "no such account"},
		{215, proto.ForwardList, ExDataErr, "already on your forward list"},
		{216, proto.BlockList, ExNoInput, "not on your block list"},
		{219, proto.AllowList, ExDataErr, "is on your block list"},
		{210, proto.ForwardList, ExCantCreat, "your forward list is full"},
	}
	for _, tt := range tests {
		err := explainList(fmt.Errorf("wrapped: %w", &proto.ServerError{Code: tt.code}), "bob@example.com", tt.list)
		if got := ExitCode(err); got != tt.exit {
			t.Errorf("%d: exit %d, want %d", tt.code, got, tt.exit)
		}
		if !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%d: %q lacks %q", tt.code, err, tt.msg)
		}
	}
	for code, exit := range map[int]int{223: ExCantCreat, 224: ExNoInput, 225: ExNoInput, 228: ExDataErr, 230: ExDataErr} {
		if got := ExitCode(explainGroup(&proto.ServerError{Code: code}, "G")); got != exit {
			t.Errorf("group %d: exit %d, want %d", code, got, exit)
		}
	}
	// Without an explanation, the classes still map.
	for code, exit := range map[int]int{215: ExDataErr, 216: ExNoInput, 210: ExCantCreat, 223: ExCantCreat, 207: ExNoUser} {
		if got := ExitCode(&proto.ServerError{Code: code}); got != exit {
			t.Errorf("bare %d: exit %d, want %d", code, got, exit)
		}
	}
}

// A cached list is used only when it decodes and matches its version.
func TestCachedList(t *testing.T) {
	cl := proto.NewContactList()
	cl.Version = 7
	cl.Apply(&proto.ListChange{Kind: proto.ChangeAdd, List: proto.ForwardList, Email: "bob@example.com", Name: "Bob", Group: proto.NoGroup, Version: 7})
	data, err := json.Marshal(cl)
	if err != nil {
		t.Fatal(err)
	}
	if got := cachedList(keyring.State{ListVersion: 7, List: data}); got == nil || got.Contact("bob@example.com") == nil {
		t.Errorf("good cache: %+v", got)
	}
	for name, st := range map[string]keyring.State{
		"no version":    {List: data},
		"other version": {ListVersion: 8, List: data},
		"corrupt":       {ListVersion: 7, List: json.RawMessage(`{"version":"x"}`)},
		"empty":         {ListVersion: 7},
	} {
		if got := cachedList(st); got != nil {
			t.Errorf("%s: used %+v", name, got)
		}
	}
}
