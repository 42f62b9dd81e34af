package switchboard

import (
	"testing"

	"msn/proto"
	"msn/proto/msntest"
)

// predicting is a notification connection that guesses where the next
// switchboard is.
type predicting struct {
	*proto.Notification
	guess string
}

// PredictSwitchboard returns the guess.
func (p predicting) PredictSwitchboard() string { return p.guess }

func TestOpenConnectsToThePredictedSwitchboardWhileItWaits(t *testing.T) {
	const elsewhere = "10.0.0.9:1864"
	for _, tc := range []struct {
		name, guess string
		unused      bool // the guess is connected to, then closed unused
	}{
		{"right guess, one connection", sbAddr, false},
		{"wrong guess, closed unused", elsewhere, true},
		{"no guess", "", false},
		{"a guess the policy refuses", "127.0.0.1:bad", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := msntest.NewDialer()
			ns := signIn(t, d, alice, "C: XFR $5 SB\nS: XFR $5 SB "+sbAddr+" CKI c00kie\nC: OUT\nS: OUT\nclose\n", nil)
			d.Add(sbAddr, msntest.Inline(t, "C: USR $1 alice@example.com c00kie\nS: USR $1 OK alice@example.com Alice\nC: OUT\nC: EOF\n"))
			if tc.unused {
				d.Add(elsewhere, msntest.Inline(t, "C: EOF\n"))
			}
			ctx := msntest.Context(t)
			sb, err := Open(ctx, predicting{ns, tc.guess}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			sb.Close()
			ns.Logout(ctx)
			d.Check(t)
		})
	}
}
