package commands

import (
	"fmt"
	"testing"

	"msn/proto"
	"msn/proto/switchboard"
)

// The same fault gets the same code whatever byte it hits: a silent
// server, a stalled line and a cut line are temporary failures (75); a
// message whose recipients all left before its ACK was not delivered
// (69).
func TestFaultExitCodes(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code int
		msg  string
	}{
		{fmt.Errorf("%w (no answer to a keep-alive ping within 15s)", proto.ErrServerSilent), ExTempFail,
			"the server stopped answering (no answer to a keep-alive ping within 15s)"},
		{fmt.Errorf("listen: %w", proto.ErrCutOff), ExTempFail,
			"listen: connection closed in the middle of a command (unexpected EOF)"},
		{&switchboard.UnreceivedError{TrID: 3, Left: []string{"bob@example.com"}}, ExUnavailable,
			"message not delivered: bob@example.com left before it was acknowledged"},
	} {
		r := describe(tc.err)
		if r.Code != tc.code || r.Message != tc.msg {
			t.Errorf("describe(%v) = %d %q, want %d %q", tc.err, r.Code, r.Message, tc.code, tc.msg)
		}
	}
}
