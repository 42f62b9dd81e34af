package switchboard

import (
	"errors"
	"testing"

	"msn/proto/msntest"
)

// msgHi is the client's MSG of the text "hi" with TrID $3, after bob
// joined (see startSwitchboard).
const msgHi = `C: MSG $3 A 115
| MIME-Version: 1.0
| Content-Type: text/plain; charset=UTF-8
| X-MMS-IM-Format: FN=Arial; EF=; CO=0; CS=0; PF=22
|
| hi
`

// A contact who leaves while the message is in flight: a BYE read before
// the ACK means the server relayed the message to nobody.
func TestByeBeforeAckIsNotDelivered(t *testing.T) {
	sb, _, done := startSwitchboard(t, msgHi+`S: BYE bob@example.com
S: ACK $3
C: OUT
S: OUT
close
`, true)
	err := sb.SendText(msntest.Context(t), "hi", nil)
	var ue *UnreceivedError
	if !errors.Is(err, ErrNotDelivered) || !errors.As(err, &ue) {
		t.Fatalf("SendText = %v, want an *UnreceivedError (not delivered)", err)
	}
	if ue.TrID != 3 || len(ue.Left) != 1 || ue.Left[0] != "bob@example.com" {
		t.Errorf("error = %+v", ue)
	}
	if got := err.Error(); got != "proto: message not delivered: bob@example.com left before it was acknowledged" {
		t.Errorf("Error() = %q", got)
	}
	done()
}

// The other order: the ACK came while bob was there, so he has it.
func TestAckBeforeByeIsDelivered(t *testing.T) {
	sb, _, done := startSwitchboard(t, msgHi+`S: ACK $3
S: BYE bob@example.com
C: OUT
S: OUT
close
`, true)
	if err := sb.SendText(msntest.Context(t), "hi", nil); err != nil {
		t.Fatalf("SendText = %v, want delivered", err)
	}
	done()
}

// One of two recipients leaving before the ACK does not undo the
// delivery to the other.
func TestAckCountsWhileOneRecipientStays(t *testing.T) {
	sb, rec, done := startSwitchboard(t, `S: JOI carol@example.com Carol
`+msgHi+`S: BYE bob@example.com
S: ACK $3
C: OUT
S: OUT
close
`, true)
	rec.waitFor(t, "carol's arrival", func(e Event) bool { j, ok := e.(*Joined); return ok && j.Email == "carol@example.com" })
	if err := sb.SendText(msntest.Context(t), "hi", nil); err != nil {
		t.Fatalf("SendText = %v, want delivered to carol", err)
	}
	done()
}

// A Sender reports the unreceived text as not confirmed.
func TestSenderKeepsTheUnreceivedText(t *testing.T) {
	sb, _, done := startSwitchboard(t, msgHi+`S: BYE bob@example.com
S: ACK $3
C: OUT
S: OUT
close
`, true)
	s := sb.NewSender(2, nil)
	ctx := msntest.Context(t)
	if err := s.Send(ctx, "hi"); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(ctx); !errors.Is(err, ErrNotDelivered) {
		t.Fatalf("Flush = %v, want not delivered", err)
	}
	if s.Confirmed() != 0 {
		t.Errorf("confirmed %d", s.Confirmed())
	}
	done()
}
