package proto

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"msn/proto/msntest"
)

// hostile-inputs §2.4 #52: a BPR before any LST is ignored; one after the
// last LST is attached to the last contact (as an event).
func TestSyncOrphanAndLateBPR(t *testing.T) {
	ns, log, _ := scriptedNS(t, MSNP8, msntest.Inline(t, `
C: SYN $1 0
S: SYN $1 7 1 0
S: GTC A
S: BPR PHH 000
S: BLP AL
S: LST bob@example.com Bob 1
S: BPR PHW 111
S: BPR MOB Y
S: NLN NLN x@example.com X 0
S: BPR PHM 222
C: PNG
S: QNG
`))
	ctx := msntest.Context(t)
	cl, err := ns.Sync(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ns.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if bob := cl.Contact("bob@example.com"); bob == nil || bob.Phones != nil || cl.Phones != nil {
		t.Fatalf("bob = %+v, own phones %v", bob, cl.Phones)
	}
	chs := listChanges(log)
	if len(chs) != 2 || chs[0].Key != PhoneWork || chs[1].Key != MobilePaging || chs[1].Email != "bob@example.com" {
		t.Fatalf("late BPR events = %+v", chs)
	}
	for _, ch := range chs {
		cl.Apply(ch)
	}
	if !reflect.DeepEqual(cl.Contact("bob@example.com").Phones, map[string]string{PhoneWork: "111", MobilePaging: "Y"}) {
		t.Errorf("phones = %v", cl.Contact("bob@example.com").Phones)
	}
	// The BPR after another line belongs to nobody: it surfaces as an
	// unknown line, never as someone's phone number.
	var unknown int
	for _, ev := range log.all() {
		if u, ok := ev.(*Unknown); ok && u.Command.Verb == "BPR" {
			unknown++
		}
	}
	if unknown != 1 {
		t.Errorf("events = %v", log.all())
	}
}

// hostile-inputs §2.4 #53, #49: bad list fields are validated and
// skipped; a huge name is cut to MaxNameBytes.
func TestSyncBadListFields(t *testing.T) {
	huge := strings.Repeat("%41", 5000)
	ns, log, _ := scriptedNS(t, MSNP8, msntest.Inline(t, `
C: SYN $1 0
S: SYN $1 9 7 1
S: GTC A
S: BLP AL
S: LSG x Bad 0
S: LST a@b.com A -1 0,0,0,99999
S: LST c@d.com C 99999
S: LST nohandle Name 1 0
S: LST e@f.com E 1 0,0,0,99999
S: LST g@h.com G 1 0,x
S: LST i@j.com `+huge+` 2
S: LST k@l.com K 8 5
`))
	cl, err := ns.Sync(msntest.Context(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if cl.Version != 0 {
		t.Errorf("a list with skipped lines has version %d, want 0", cl.Version)
	}
	if n := len(malformed(log)); n != 5 {
		t.Errorf("%d malformed events, want 5: %v", n, log.all())
	}
	for _, m := range malformed(log) {
		if !errors.Is(m.Err, ErrProtocol) {
			t.Errorf("malformed event error %v is not a protocol error", m.Err)
		}
	}
	if e := cl.Contact("e@f.com"); e == nil || !reflect.DeepEqual(e.Groups, []int{0, 99999}) {
		t.Errorf("e = %+v", e)
	}
	if i := cl.Contact("i@j.com"); i == nil || len(i.Name) != MaxNameBytes || strings.Trim(i.Name, "A") != "" {
		t.Errorf("huge name kept as %d bytes", len(cl.Contact("i@j.com").Name))
	}
	if k := cl.Contact("k@l.com"); k == nil || k.Groups != nil {
		t.Errorf("groups off the forward list were kept: %+v", k)
	}
	if len(cl.Contacts()) != 3 || len(cl.GroupMap) != 0 {
		t.Errorf("contacts %v, groups %v", cl.Contacts(), cl.GroupMap)
	}
}

func TestSyncMSNP7BadLines(t *testing.T) {
	ns, log, _ := scriptedNS(t, MSNP7, msntest.Inline(t, `
C: SYN $1 0
C: PNG
S: SYN $1 3
S: GTC $1 3 Q
S: LSG $1 3 1 501 0 Many 0
S: LST $1 XL 3 1 1 a@b.com A
S: LST $1 FL 3 2 1 a@b.com A
S: LST $1 FL 3 1 1 a@b.com A 0
S: BPR 3 nobody@example.com PHH 1
S: LST $1 AL 3 0 1
S: LST $1 BL 3 0 0 x@y.com
S: GTC $1 3 N
S: BLP $1 3 BL
S: LST $1 RL 3 0 0
S: QNG
`))
	cl, err := ns.Sync(msntest.Context(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(malformed(log)); n != 6 {
		t.Errorf("%d malformed events, want 6: %v", n, log.all())
	}
	if cl.Version != 0 || len(cl.Contacts()) != 1 || cl.Privacy != BlockUnlisted || cl.NotifyOnAdd != "N" {
		t.Errorf("list = %+v", cl)
	}
}

func TestSyncLimits(t *testing.T) {
	for name, text := range map[string]string{
		"too many contacts": "C: SYN $1 0\nS: SYN $1 5 10001 0\n",
		"too many groups":   "C: SYN $1 0\nS: SYN $1 5 1 501\n",
		"bad version":       "C: SYN $1 0\nS: SYN $1 abc 1 1\n",
		"two counts":        "C: SYN $1 0\nS: SYN $1 5 1\n",
		"no version":        "C: SYN $1 0\nS: SYN $1\n",
		"unchanged, wrong":  "C: SYN $1 0\nS: SYN $1 7\n",
	} {
		t.Run(name, func(t *testing.T) {
			ns, _, _ := scriptedNS(t, MSNP8, msntest.Inline(t, text+"S: GTC A\nS: LST a@b.com A 1\nC: PNG\nS: QNG\n"))
			ctx := msntest.Context(t)
			_, err := ns.Sync(ctx, nil)
			var pe *ProtocolError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ProtocolError", err)
			}
			// The rest of the stream is absorbed; the connection goes on.
			if err := ns.Ping(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestSyncMSNP7TooManyContacts(t *testing.T) {
	var b strings.Builder
	b.WriteString("C: SYN $1 0\nC: PNG\nS: SYN $1 2\nS: GTC $1 2 A\nS: BLP $1 2 AL\n")
	for i := 1; i <= MaxContacts; i++ {
		fmt.Fprintf(&b, "S: LST $1 FL 2 %d %d u%d@example.com U 0\n", i, MaxContacts, i)
	}
	b.WriteString("S: LST $1 RL 2 1 1 stranger@example.com S\nS: QNG\nC: PNG\nS: QNG\n")
	ns, _, _ := scriptedNS(t, MSNP7, msntest.Inline(t, b.String()))
	ctx := msntest.Context(t)
	_, err := ns.Sync(ctx, nil)
	if !errors.Is(err, ErrProtocol) {
		t.Fatalf("err = %v", err)
	}
	if err := ns.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

// A stream without GTC or BLP is ended by a ping: the server answers in
// order, so QNG comes after the last line of the stream. An MSNP7 stream
// always is; one whose reverse list never completed gets version 0.
func TestSyncFence(t *testing.T) {
	for name, c := range map[string]struct {
		p       Protocol
		text    string
		version int
	}{
		"msnp8 empty":   {MSNP8, "C: SYN $1 0\nS: SYN $1 3 0 0\nC: PNG\nS: QNG\n", 3},
		"msnp8 settled": {MSNP8, "C: SYN $1 0\nS: SYN $1 3 0 0\nS: GTC A\nS: BLP AL\n", 3},
		"msnp7 no GTC": {MSNP7, "C: SYN $1 0\nC: PNG\nS: SYN $1 3\nS: BLP $1 3 AL\nS: LST $1 FL 3 0 0\n" +
			"S: LST $1 RL 3 0 0\nS: QNG\n", 3},
		"msnp7 no RL": {MSNP7, "C: SYN $1 0\nC: PNG\nS: SYN $1 3\nS: LST $1 FL 3 0 0\nS: QNG\n", 0},
	} {
		t.Run(name, func(t *testing.T) {
			ns, _, _ := scriptedNS(t, c.p, msntest.Inline(t, c.text))
			cl, err := ns.Sync(msntest.Context(t), nil)
			if err != nil {
				t.Fatal(err)
			}
			if cl.Version != c.version || len(cl.Contacts()) != 0 {
				t.Errorf("list = %+v", cl)
			}
		})
	}
}

// MSNP7: a line from outside the stream in its middle is an event; the
// stream goes on to the QNG.
func TestSyncMSNP7ForeignLine(t *testing.T) {
	ns, log, _ := scriptedNS(t, MSNP7, msntest.Inline(t, `
C: SYN $1 0
C: PNG
S: SYN $1 3
S: LST $1 FL 3 0 0
S: LST $1 RL 3 0 0
S: ADD 0 RL 4 zed@example.com Zed
S: GTC $1 3 N
S: QNG
`))
	cl, err := ns.Sync(msntest.Context(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	evs := log.all()
	if len(evs) != 1 || cl.NotifyOnAdd != "N" {
		t.Fatalf("events = %v, list %+v", evs, cl)
	}
	if !cl.Apply(evs[0]) || cl.Version != 4 || len(cl.Pending()) != 1 {
		t.Errorf("after the RL push: %+v", cl)
	}
}

func TestSyncContextEnds(t *testing.T) {
	ns, log, _ := scriptedNS(t, MSNP8, msntest.Inline(t, `
C: SYN $1 0
S: SYN $1 3 1 0
S: GTC A
sleep 200ms
S: BLP AL
S: LST a@b.com A 1
C: SYN $2 3
S: SYN $2 3
`))
	ctx, cancel := context.WithTimeout(msntest.Context(t), 50*time.Millisecond)
	defer cancel()
	if _, err := ns.Sync(ctx, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	cached := &ContactList{Version: 3}
	cl, err := ns.Sync(msntest.Context(t), cached)
	if err != nil || cl != cached {
		t.Fatalf("second sync: %v, %+v", err, cl)
	}
	if evs := log.all(); len(evs) != 0 {
		t.Errorf("the abandoned stream leaked events: %v", evs)
	}
}
