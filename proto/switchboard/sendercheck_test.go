package switchboard

import (
	"errors"
	"reflect"
	"testing"
	"testing/synctest"
	"time"

	"msn/proto/msntest"
)

// msgHiAgain is the second "hi" of a script, after msgHi.
const msgHiAgain = `C: MSG $4 A 115
| MIME-Version: 1.0
| Content-Type: text/plain; charset=UTF-8
| X-MMS-IM-Format: FN=Arial; EF=; CO=0; CS=0; PF=22
|
| hi
`

// Next signals the answer of the oldest text without a Send or Flush:
// an ACK confirms it, and an ACK after everyone left makes Check report
// the text not delivered.
func TestSenderNextSignalsTheAnswer(t *testing.T) {
	sb, _, done := startSwitchboard(t, msgHi+"S: ACK $3\n"+msgHiAgain+`S: BYE bob@example.com
S: ACK $4
C: OUT
S: OUT
close
`, true)
	s := sb.NewSender(2, nil)
	ctx := msntest.Context(t)
	for i := range 2 {
		if err := s.Send(ctx, "hi"); err != nil {
			t.Fatal(err)
		}
		answered, due := s.Next()
		if answered == nil || due.IsZero() {
			t.Fatalf("text %d: Next = %v, %v with a text in flight", i+1, answered, due)
		}
		select {
		case <-answered:
		case <-time.After(5 * time.Second):
			t.Fatalf("text %d: no answer signalled", i+1)
		}
		err := s.Check(time.Now())
		switch i {
		case 0:
			if err != nil || s.Confirmed() != 1 {
				t.Fatalf("after the ACK: Check = %v, confirmed %d", err, s.Confirmed())
			}
			if answered, due := s.Next(); answered != nil || !due.IsZero() {
				t.Errorf("Next = %v, %v with nothing in flight", answered, due)
			}
		case 1:
			if !errors.Is(err, ErrNotDelivered) {
				t.Fatalf("after everyone left: Check = %v, want not delivered", err)
			}
		}
	}
	if got := s.Unconfirmed(); !reflect.DeepEqual(got, []string{"hi"}) || s.Confirmed() != 1 {
		t.Errorf("unconfirmed %q, confirmed %d", got, s.Confirmed())
	}
	done()
}

// Check fails the Sender once the oldest text's acknowledgement is
// overdue, AckWait after it was sent, in a bubble's time.
func TestSenderCheckOverdue(t *testing.T) {
	synctest.Test(t, testSenderCheckOverdue)
}

func testSenderCheckOverdue(t *testing.T) {
	const wait = time.Second
	sb, _, done := startSwitchboardWith(t, msgHi+"C: OUT\nS: OUT\nclose\n", true, Options{AckWait: wait})
	s := sb.NewSender(2, nil)
	ctx := msntest.Context(t)
	sent := time.Now()
	if err := s.Send(ctx, "hi"); err != nil {
		t.Fatal(err)
	}
	answered, due := s.Next()
	if !due.Equal(sent.Add(wait)) {
		t.Errorf("due %v after sending, want %v", due.Sub(sent), wait)
	}
	if err := s.Check(due.Add(-time.Millisecond)); err != nil {
		t.Fatalf("Check before the due time: %v", err)
	}
	time.Sleep(time.Until(due))
	select {
	case <-answered:
		t.Fatal("answer signalled without an answer")
	default:
	}
	if err := s.Check(time.Now()); !errors.Is(err, ErrUnconfirmed) {
		t.Fatalf("Check at the due time = %v, want ErrUnconfirmed", err)
	}
	if err := s.Send(ctx, "more"); !errors.Is(err, ErrUnconfirmed) {
		t.Errorf("Send after the failure = %v", err)
	}
	if got := s.Unconfirmed(); !reflect.DeepEqual(got, []string{"hi"}) {
		t.Errorf("unconfirmed %q", got)
	}
	done()
}
