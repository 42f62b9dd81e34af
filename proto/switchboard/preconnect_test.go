package switchboard

import (
	"context"
	"net"
	"testing"

	"msn/proto"
	"msn/proto/msntest"
)

// predicting is a notification connection that guesses where the next
// switchboard is, and reports each address it dials on dialled.
type predicting struct {
	*proto.Notification
	guess   string
	dialled chan string
}

// Dial reports addr, then dials it.
func (p predicting) Dial(ctx context.Context, addr string) (net.Conn, error) {
	p.dialled <- addr
	return p.Notification.Dial(ctx, addr)
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
			dialled := make(chan string, 4) // more than Open ever dials
			sb, err := Open(ctx, predicting{ns, tc.guess, dialled}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			sb.Close()
			if tc.unused {
				// The guess is dialled on a goroutine of its own, which
				// may start after Open returned.
				waitDialled(t, dialled, elsewhere)
			}
			ns.Logout(ctx)
			d.Check(t)
		})
	}
}

// waitDialled waits, within a test step, until addr is dialled.
func waitDialled(t *testing.T, dialled <-chan string, addr string) {
	t.Helper()
	ctx := msntest.Context(t)
	for {
		select {
		case a := <-dialled:
			if a == addr {
				return
			}
		case <-ctx.Done():
			t.Fatalf("%s was never dialled", addr)
		}
	}
}
