package switchboard

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"msn/proto"
	"msn/proto/internal/engine"
	"msn/proto/msntest"
)

// openSB signs alice in and opens a switchboard whose script, after
// USR $1, is sbScript; the scripted peer records whether OUT arrived.
// The returned check closes the switchboard, logs out and checks both
// scripts.
func openSB(t *testing.T, sbScript string, opts Options) (*Switchboard, func()) {
	t.Helper()
	d := msntest.NewDialer()
	ns := signIn(t, d, alice, "C: XFR $5 SB\nS: XFR $5 SB "+sbAddr+" CKI c00kie\nC: OUT\nS: OUT\nclose\n", nil)
	d.Add(sbAddr, msntest.Inline(t, "C: USR $1 alice@example.com c00kie\nS: USR $1 OK alice@example.com Alice\n"+sbScript))
	ctx := msntest.Context(t)
	sb, err := Open(ctx, ns, opts)
	if err != nil {
		t.Fatal(err)
	}
	return sb, func() {
		t.Helper()
		sb.Close()
		ns.Logout(ctx)
		d.Check(t)
	}
}

// shorten sets *v to d for the test.
func shorten(t *testing.T, v *time.Duration, d time.Duration) {
	old := *v
	*v = d
	t.Cleanup(func() { *v = old })
}

// bobJoins is the script of bob's arrival after CAL $2.
const bobJoins = "C: CAL $2 bob@example.com\nS: CAL $2 RINGING 11752013\nS: JOI bob@example.com Bob\n"

// Every path that ends a switchboard from this side says OUT first; the
// scripts fail when it does not arrive.
func TestSwitchboardLeftWithOUTOnEveryPath(t *testing.T) {
	shorten(t, &probeWait, 300*time.Millisecond)
	shorten(t, &engine.StallTimeout, 200*time.Millisecond)
	for _, tc := range []struct {
		name, script string
		opts         Options
		run          func(ctx context.Context, sb *Switchboard) error
		want         error
	}{
		{"contact did not join", `C: CAL $2 bob@example.com
S: CAL $2 RINGING 11752013
C: MSG $3 A 90
| MIME-Version: 1.0
| Content-Type: text/x-msmsgscontrol
| TypingUser: alice@example.com
|
|
|
S: ACK $3
`, Options{JoinWait: 100 * time.Millisecond},
			func(ctx context.Context, sb *Switchboard) error { return sb.Invite(ctx, "bob@example.com") }, ErrNoAnswer},
		{"contact offline", "C: CAL $2 bob@example.com\nS: 217 $2\n", Options{},
			func(ctx context.Context, sb *Switchboard) error { return sb.Invite(ctx, "bob@example.com") }, proto.ErrOffline},
		{"context cancelled", "C: CAL $2 bob@example.com\nS: CAL $2 RINGING 11752013\n", Options{},
			func(ctx context.Context, sb *Switchboard) error {
				ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
				defer cancel()
				return sb.Invite(ctx, "bob@example.com")
			}, context.DeadlineExceeded},
		{"no acknowledgement", bobJoins + msgHi, Options{AckWait: 100 * time.Millisecond},
			func(ctx context.Context, sb *Switchboard) error {
				if err := sb.Invite(ctx, "bob@example.com"); err != nil {
					return err
				}
				return sb.SendText(ctx, "hi", nil)
			}, ErrUnconfirmed},
		{"protocol error", bobJoins + "S: JOI\n" + "S: raw \"MSG bob@example.com Bob x\\r\\n\"\n", Options{},
			func(ctx context.Context, sb *Switchboard) error {
				if err := sb.Invite(ctx, "bob@example.com"); err != nil {
					return err
				}
				<-sb.Done()
				return sb.Err()
			}, proto.ErrProtocol},
		{"stalled line", bobJoins + "S: raw \"MSG bob@exa\"\n", Options{},
			func(ctx context.Context, sb *Switchboard) error {
				if err := sb.Invite(ctx, "bob@example.com"); err != nil {
					return err
				}
				<-sb.Done()
				return sb.Err()
			}, proto.ErrServerSilent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb, check := openSB(t, tc.script+"C: OUT\nC: EOF\n", tc.opts)
			if err := tc.run(msntest.Context(t), sb); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			check()
		})
	}
}

// Leave says OUT once, and Close after it says nothing more.
func TestSwitchboardLeaveSaysOUTOnce(t *testing.T) {
	sb, check := openSB(t, "C: OUT\nC: EOF\n", Options{})
	ctx, cancel := context.WithTimeout(msntest.Context(t), 50*time.Millisecond)
	defer cancel()
	sb.Leave(ctx) // the script does not answer OUT: Leave gives up
	check()
}

// A switchboard that stops answering CAL is the network, not the contact.
func TestInviteUnansweredCALIsASilentServer(t *testing.T) {
	sb, check := openSB(t, "C: CAL $2 bob@example.com\nC: OUT\nC: EOF\n", Options{JoinWait: 150 * time.Millisecond})
	err := sb.Invite(msntest.Context(t), "bob@example.com")
	if !errors.Is(err, proto.ErrServerSilent) || errors.Is(err, ErrNoAnswer) {
		t.Fatalf("Invite = %v, want ErrServerSilent, not ErrNoAnswer", err)
	}
	check()
}

// A switchboard that rang the contact and then went silent does not
// answer the probe either: a silent server, not a contact who did not
// join.
func TestInviteSilentAfterRingingIsASilentServer(t *testing.T) {
	shorten(t, &probeWait, 150*time.Millisecond)
	sb, check := openSB(t, `C: CAL $2 bob@example.com
S: CAL $2 RINGING 11752013
C: MSG $3 A 90
| MIME-Version: 1.0
| Content-Type: text/x-msmsgscontrol
| TypingUser: alice@example.com
|
|
|
C: OUT
C: EOF
`, Options{JoinWait: 150 * time.Millisecond})
	start := time.Now()
	err := sb.Invite(msntest.Context(t), "bob@example.com")
	if !errors.Is(err, proto.ErrServerSilent) || errors.Is(err, ErrNoAnswer) {
		t.Fatalf("Invite = %v, want ErrServerSilent, not ErrNoAnswer", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("Invite took %v, want the join wait plus the probe's", took)
	}
	check()
}

// A JOI that stops part way fails the connection as a stall, and the
// Invite waiting for it with it.
func TestInviteStalledJOIIsASilentServer(t *testing.T) {
	shorten(t, &engine.StallTimeout, 150*time.Millisecond)
	sb, check := openSB(t, `C: CAL $2 bob@example.com
S: CAL $2 RINGING 11752013
S: raw "JOI bob@exam"
C: OUT
C: EOF
`, Options{JoinWait: time.Second})
	err := sb.Invite(msntest.Context(t), "bob@example.com")
	if !errors.Is(err, proto.ErrServerSilent) || errors.Is(err, ErrNoAnswer) {
		t.Fatalf("Invite = %v, want ErrServerSilent, not ErrNoAnswer", err)
	}
	check()
}

// A contact who joins while the probe is on its way has joined.
func TestInviteJoinDuringTheProbeCounts(t *testing.T) {
	sb, check := openSB(t, `C: CAL $2 bob@example.com
S: CAL $2 RINGING 11752013
C: MSG $3 A 90
| MIME-Version: 1.0
| Content-Type: text/x-msmsgscontrol
| TypingUser: alice@example.com
|
|
|
S: JOI bob@example.com Bob
S: ACK $3
C: OUT
C: EOF
`, Options{JoinWait: 100 * time.Millisecond})
	if err := sb.Invite(msntest.Context(t), "bob@example.com"); err != nil {
		t.Fatalf("Invite = %v, want bob joined", err)
	}
	check()
}

// A switchboard line cut in half is the network breaking, as a reset is.
func TestSwitchboardCutLineIsTheNetwork(t *testing.T) {
	sb, check := openSB(t, bobJoins+msgHi+"S: raw \"ACK \"\nclose\n", Options{})
	ctx := msntest.Context(t)
	if err := sb.Invite(ctx, "bob@example.com"); err != nil {
		t.Fatal(err)
	}
	err := sb.SendText(ctx, "hi", nil)
	if !errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, proto.ErrProtocol) {
		t.Fatalf("SendText = %v, want the cut (a temporary failure)", err)
	}
	check()
}

// A malformed acknowledgement fails the message's wait at once, as a
// protocol error, rather than at the end of AckWait.
func TestMalformedAckFailsTheSendAtOnce(t *testing.T) {
	sb, check := openSB(t, bobJoins+msgHi+"S: raw \"ACK 3 \\x01\\r\\n\"\nC: OUT\nC: EOF\n", Options{AckWait: time.Minute})
	ctx := msntest.Context(t)
	if err := sb.Invite(ctx, "bob@example.com"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := sb.SendText(ctx, "hi", nil); !errors.Is(err, proto.ErrProtocol) {
		t.Fatalf("SendText = %v, want a protocol error", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("the send failed after %v", took)
	}
	if err := sb.Err(); err != nil {
		t.Fatalf("Err = %v: the connection stays up after a malformed line", err)
	}
	check()
}
