package commands

import (
	"fmt"
	"strings"
	"testing"

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

// A removal's "not on that list" is 66, whether the server said 216 or,
// as the revival server does for an address with no entry in your lists,
// 205 (transcripts/08 q5): never "no such account".
func TestRemovalRefusals(t *testing.T) {
	for _, tt := range []struct {
		code int
		list proto.List
		exit int
		msg  string
	}{
		{205, proto.ForwardList, ExNoInput, "erin@example.com is not on your forward list"},
		{216, proto.BlockList, ExNoInput, "erin@example.com is not on your block list"},
		{207, proto.ForwardList, ExNoUser, "erin@example.com: no such account"},
		{225, proto.ForwardList, ExNoInput, "server error 225"},
	} {
		err := explainRemoval(fmt.Errorf("wrapped: %w", &proto.ServerError{Code: tt.code}), "erin@example.com", tt.list)
		if got := ExitCode(err); got != tt.exit {
			t.Errorf("%d: exit %d, want %d", tt.code, got, tt.exit)
		}
		if !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%d: %q lacks %q", tt.code, err, tt.msg)
		}
	}
	// Found in the synced list, with nothing sent.
	err := &contactError{email: "erin@example.com", err: &notOnListError{email: "erin@example.com", group: "Friends"}}
	if got := ExitCode(withHint(err, "x")); got != ExNoInput || err.Error() != `erin@example.com is not in group "Friends"` {
		t.Errorf("group: exit %d, %q", got, err)
	}
	if got := (&contactError{email: "erin@example.com", err: fmt.Errorf("timeout")}).Error(); got != "erin@example.com: timeout" {
		t.Errorf("contactError = %q", got)
	}
}
