package proto

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"msn/proto/msntest"
)

// initialPresence returns the Presence events with Initial set.
func initialPresence(log *eventLog) []*Presence {
	var out []*Presence
	for _, ev := range log.all() {
		if p, ok := ev.(*Presence); ok && p.Initial {
			out = append(out, p)
		}
	}
	return out
}

func TestSetStatusAndSettle(t *testing.T) {
	ns, log, cc := scriptedNS(t, MSNP8, msntest.TestdataScript(t, "presence_settle.txt"))
	ctx := msntest.Context(t)
	if err := ns.SetStatusAndSettle(ctx, StatusHidden); err != nil {
		t.Fatal(err)
	}
	got := initialPresence(log)
	if len(got) != 3 || got[1].Email != "carol@example.com" || got[1].Name != "Carol ☕" || got[1].Status != StatusAway {
		t.Fatalf("initial presence at return = %+v", got)
	}
	if n := cc.writes.Load(); n != 1 {
		t.Errorf("CHG and PNG took %d writes, want 1", n)
	}
	if err := ns.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	evs := log.all()
	if len(evs) != 5 {
		t.Fatalf("events = %v", evs)
	}
	if p, ok := evs[3].(*Presence); !ok || p.Initial || p.Status != StatusIdle {
		t.Errorf("event 3 = %+v", evs[3])
	}
	if o, ok := evs[4].(*Offline); !ok || o.Email != "carol@example.com" {
		t.Errorf("event 4 = %+v", evs[4])
	}
}

func TestSetStatusMSNP7(t *testing.T) {
	// transcripts/02: MSNP7 sends no client id; the reply has one.
	ns, _, _ := scriptedNS(t, MSNP7, msntest.Inline(t, `
C: CHG $1 BSY
S: CHG $1 BSY 0
C: CHG $2 HDN
C: PNG
S: CHG $2 HDN 0
S: ILN $2 NLN bob@example.com Bob
S: QNG
`))
	ctx := msntest.Context(t)
	if err := ns.SetStatus(ctx, StatusBusy); err != nil {
		t.Fatal(err)
	}
	if err := ns.SetStatusAndSettle(ctx, StatusHidden); err != nil {
		t.Fatal(err)
	}
}

// A ping already in flight is answered first; its QNG must not end the
// burst of the new CHG.
func TestSetStatusAndSettleAfterPing(t *testing.T) {
	ns, log, _ := scriptedNS(t, MSNP8, msntest.Inline(t, `
C: PNG
S: QNG
C: CHG $1 NLN 0
C: PNG
S: CHG $1 NLN 0
S: ILN $1 NLN bob@example.com Bob 0
S: QNG
`))
	ctx := msntest.Context(t)
	old := ns.c.Expect(keyPong)
	if err := ns.c.Send(ctx, &Command{Verb: "PNG"}); err != nil {
		t.Fatal(err)
	}
	if err := ns.SetStatusAndSettle(ctx, StatusOnline); err != nil {
		t.Fatal(err)
	}
	if _, err := old.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if got := initialPresence(log); len(got) != 1 {
		t.Fatalf("initial presence = %v", got)
	}
}

// A server that never answers PNG: the burst ends once no ILN has come
// for a quiet window, even when that is after the bound.
// The bound and the quiet window pass in a bubble's time: the second ILN
// comes after the bound, within the quiet window of the first.
func TestSetStatusAndSettleWithoutQNG(t *testing.T) {
	synctest.Test(t, testSetStatusAndSettleWithoutQNG)
}

func testSetStatusAndSettleWithoutQNG(t *testing.T) {
	ns, log, _ := scriptedNS(t, MSNP8, msntest.Inline(t, `
C: CHG $1 NLN 0
C: PNG
S: CHG $1 NLN 0
S: ILN $1 NLN bob@example.com Bob 0
sleep 4900ms
S: ILN $1 NLN dave@example.com Dave 0
sleep 200ms
S: ILN $1 AWY carol@example.com Carol 0
C: PNG
S: QNG
`))
	// The step lasts the settle bound and a quiet window or two.
	ctx, cancel := context.WithTimeout(context.Background(), settleTimeout+time.Second)
	defer cancel()
	if err := ns.SetStatusAndSettle(ctx, StatusOnline); err != nil {
		t.Fatal(err)
	}
	if got := initialPresence(log); len(got) != 3 {
		t.Fatalf("initial presence = %v", got)
	}
	if err := ns.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestSetStatusServerError(t *testing.T) {
	ns, _, _ := scriptedNS(t, MSNP8, msntest.Inline(t, `
C: CHG $1 NLN 0
C: PNG
S: 500 $1
S: QNG
`))
	if err := ns.SetStatusAndSettle(msntest.Context(t), StatusOnline); !isCode(err, 500) {
		t.Fatalf("err = %v", err)
	}
}

func isCode(err error, code int) bool {
	se, ok := err.(*ServerError)
	return ok && se.Code == code
}
