package proto

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"msn/proto/msntest"
)

// The hostile notification server (hostile-inputs.md §2.1–§2.4), one row
// per case. Each row is the server's lines after sign-in, what the
// session ends with, and the events it must (and must not) produce;
// runNSRow checks the invariants of §2.0 on top: (E) the error matches
// its sentinel and the session error is sticky, (C) no panic and
// bounded allocation, (T) every row ends within nsRowBound, (S) no
// secret in errors or the debug transcript, (D) errors are printable.
// Sign-in rows are in hostile_login_test.go; the contact-list stream
// (§2.4 #52, #53) in sync_hostile_test.go.

// nsRowBound is how long any row may take: each is a few lines over a
// pipe, and a row that waits for a timeout has failed (T).
const nsRowBound = 3 * time.Second

// nsRow is one hostile case on a signed-in notification connection.
type nsRow struct {
	n    int    // case number in hostile-inputs.md §2
	name string // what is hostile
	// script is the server's side after sign-in; the client's TrIDs
	// start at $1. runNSRow appends a ping when the session survives.
	script string
	// act runs while the script plays (a request the server answers
	// with hostile lines); actErr is what it must return (errors.Is).
	act    func(ctx context.Context, n *Notification) error
	actErr error
	// await is a line of the debug transcript that must appear before
	// the closing ping (an answer the reader writes on its own).
	await string
	// fatal is the error the connection must end with (errors.Is); nil
	// means it survives and still answers a ping.
	fatal error
	// events checks what the handler received.
	events func(t *testing.T, evs []Event)
	// alloc bounds the bytes allocated while the row plays; 0 means
	// nsRowAlloc.
	alloc uint64
}

// nsRowAlloc is the default allocation bound of a row: far below any
// length a hostile field could claim.
const nsRowAlloc = 4 << 20

// runNSRow plays r against a fresh MSNP8 session and checks it.
func runNSRow(t *testing.T, r nsRow) {
	t.Helper()
	text := r.script
	if r.fatal == nil {
		text += "C: PNG\nS: QNG\nC: EOF\n"
	} else {
		text += "C: EOF\n"
	}
	s := msntest.Inline(t, text)
	var debug msntest.SyncBuffer
	log := &eventLog{}
	meter := msntest.StartAllocMeter()
	start := time.Now()
	client, server := net.Pipe()
	played := make(chan error, 1)
	go func() { played <- msntest.Play(server, s) }()
	n := newNotification(client, MSNP8, Options{Handler: log.handle, Debug: &debug}, ReferralPolicy{})
	n.handle = "alice@example.com"
	ctx, cancel := context.WithTimeout(context.Background(), nsRowBound)
	defer cancel()

	var errs []string
	if r.act != nil {
		err := r.act(ctx, n)
		if r.actErr == nil && err != nil || r.actErr != nil && !errors.Is(err, r.actErr) {
			t.Errorf("(E) request returned %v, want %v", err, r.actErr)
		}
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	if r.await != "" {
		for !strings.Contains(debug.String(), r.await) && ctx.Err() == nil {
			time.Sleep(2 * time.Millisecond)
		}
	}
	if r.fatal == nil {
		if err := n.Ping(ctx); err != nil {
			t.Errorf("the session did not survive: %v", err)
		}
		if err := n.Err(); err != nil {
			t.Errorf("the session ended: %v", err)
		}
	} else {
		select {
		case <-n.Done():
		case <-ctx.Done():
			t.Fatalf("(T) the session did not end within %v", nsRowBound)
		}
		if !errors.Is(n.Err(), r.fatal) {
			t.Errorf("(E) the session ended with %v, want %v", n.Err(), r.fatal)
		}
		if err := n.Ping(ctx); !errors.Is(err, r.fatal) {
			t.Errorf("(E) a request after the end returned %v, want the same error", err)
		}
		errs = append(errs, n.Err().Error())
	}
	n.Close()
	perr := <-played
	if r.fatal == nil && perr != nil {
		t.Errorf("script: %v", perr)
	}
	if d := time.Since(start); d > nsRowBound {
		t.Errorf("(T) the row took %v", d)
	}
	bound := r.alloc
	if bound == 0 {
		bound = nsRowAlloc
	}
	if got := meter.Bytes(); got > bound {
		t.Errorf("(C) %d bytes allocated, bound %d", got, bound)
	}
	evs := log.all()
	for _, m := range malformedEvents(evs) {
		if !errors.Is(m.Err, ErrProtocol) {
			t.Errorf("(E) malformed line reported as %v, not a protocol error", m.Err)
		}
		errs = append(errs, m.Err.Error())
	}
	for _, e := range errs {
		checkNoSecret(t, "error", e)
		checkPrintable(t, "error", e, false)
	}
	checkNoSecret(t, "debug transcript", debug.String())
	checkPrintable(t, "debug transcript", debug.String(), true)
	if r.events != nil {
		r.events(t, evs)
	}
}

// malformedEvents returns the Malformed events among evs.
func malformedEvents(evs []Event) []*Malformed {
	var out []*Malformed
	for _, ev := range evs {
		if m, ok := ev.(*Malformed); ok {
			out = append(out, m)
		}
	}
	return out
}

// eventsOf returns the events of type T among evs.
func eventsOf[T Event](evs []Event) []T {
	var out []T
	for _, ev := range evs {
		if v, ok := ev.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

// wantEvents returns a check that evs hold exactly malformed Malformed
// events and the given numbers of Presence and Unknown events, and
// nothing that must never come from a hostile line (LoggedOut, Ring).
func wantEvents(malformed, presence, unknown int) func(t *testing.T, evs []Event) {
	return func(t *testing.T, evs []Event) {
		t.Helper()
		if got := len(malformedEvents(evs)); got != malformed {
			t.Errorf("%d malformed events, want %d: %v", got, malformed, evs)
		}
		if got := len(eventsOf[*Presence](evs)); got != presence {
			t.Errorf("(N) %d presence events, want %d: %v", got, presence, evs)
		}
		if got := len(eventsOf[*Unknown](evs)); got != unknown {
			t.Errorf("%d unknown events, want %d: %v", got, unknown, evs)
		}
		if len(eventsOf[*LoggedOut](evs))+len(eventsOf[*Ring](evs)) != 0 {
			t.Errorf("(N) a hostile line acted on: %v", evs)
		}
	}
}

// setBusy is the request of the rows whose hostile lines answer it.
func setBusy(ctx context.Context, n *Notification) error { return n.SetStatus(ctx, StatusBusy) }

// raw is a script line that writes s as it is.
func raw(s string) string { return fmt.Sprintf("S: raw %q\n", s) }

// presenceName returns a check that exactly one Presence came, with the
// given name.
func presenceName(name string) func(t *testing.T, evs []Event) {
	return func(t *testing.T, evs []Event) {
		t.Helper()
		ps := eventsOf[*Presence](evs)
		if len(ps) != 1 || ps[0].Name != name {
			t.Errorf("presence events %+v, want one named %q", ps, name)
		}
	}
}

// qry is the client's answer to the challenge ch, as a script expects it.
func qry(ch string) string {
	return "C: QRY $1 msmsgs@msnmsgr.com 32\n| " + ChallengeResponse(ch) + "\n"
}

func nsRows() []nsRow {
	longChallenge := strings.Repeat("7", 10_000)
	return []nsRow{
		// §2.1 line parser.
		{n: 1, name: "a line of about 1 MiB without CRLF", script: raw("ILN 9 NLN a@b.com " + strings.Repeat("A", 1<<20-64)),
			fatal: ErrLineTooLong, alloc: 512 << 10},
		{n: 2, name: "NUL inside a line", script: raw("NLN NLN a@b.com Bob\x00junk\r\n") + raw("NLN NLN c@d.com Carol 0\r\n"),
			events: wantEvents(1, 1, 0)},
		{n: 4, name: "LF-only terminators", script: raw("NLN NLN a@b.com Bob 0\n") + raw("NOT 4\nab\r\n"),
			events: func(t *testing.T, evs []Event) {
				wantEvents(0, 1, 0)(t, evs)
				if ns := eventsOf[*Notice](evs); len(ns) != 1 || string(ns[0].Payload) != "ab\r\n" {
					t.Errorf("(N) payload rewritten: %+v", ns)
				}
			}},
		{n: 5, name: "empty lines then a line", script: raw("\r\n\r\n\r\n") + raw("NLN NLN a@b.com Bob 0\r\n"),
			events: wantEvents(0, 1, 0)},
		{n: 5, name: "endless empty lines", script: raw(strings.Repeat("\r\n", 500)), fatal: ErrProtocol},
		{n: 7, name: "unknown error code for a pending request", script: "C: CHG $1 BSY 0\nS: 999 $1\n",
			act: setBusy, actErr: &ServerError{Code: 999}, events: wantEvents(0, 0, 0)},
		{n: 10, name: "TrIDs that must not land on the pending one",
			script: "C: CHG $1 BSY 0\n" + raw("CHG -1 BSY 0\r\n") + raw("CHG 18446744073709551617 BSY 0\r\n") +
				raw("CHG 4294967297 BSY 0\r\n") + raw("CHG abc BSY 0\r\n") + raw("CHG 1.0 BSY 0\r\n") + "S: 999 $1\n",
			// The first bad CHG fails the call that waits for a CHG: a
			// line that cannot be read never leaves its waiter waiting.
			// The 999 then answers nothing.
			act: setBusy, actErr: ErrProtocol, events: wantEvents(5, 0, 1)},
		{n: 11, name: "duplicate reply", script: "C: CHG $1 BSY 0\nS: CHG $1 BSY 0\nS: CHG $1 BSY 0\nS: 999 $1\n",
			act: setBusy, events: wantEvents(0, 0, 2)},
		{n: 13, name: "too few parameters", script: raw("ILN 7 NLN\r\nRNG\r\nXFR 3 NS\r\nFLN\r\nNLN NLN\r\n"),
			events: wantEvents(4, 0, 1)},
		{n: 14, name: "double spaces and a trailing space", script: raw("NLN  NLN  a@b.com Bob \r\n"),
			events: wantEvents(1, 0, 0)},
		// A line whose verb cannot be read fails every waiter, so the
		// fence ping waits until both lines were read.
		{n: 14, name: "tabs", script: raw("NLN\tNLN\ta@b.com\tBob\r\n") + raw("NLN NLN a@b.com Bob\t0\r\n"),
			await: "a@b.com Bob", events: wantEvents(2, 0, 0)},
		{n: 17, name: "OUT OTH", script: "S: OUT OTH\n", fatal: ErrSignedInElsewhere,
			events: func(t *testing.T, evs []Event) {
				if lo := eventsOf[*LoggedOut](evs); len(lo) != 1 || lo[0].Reason != "OTH" {
					t.Errorf("events %v, want one LoggedOut OTH", evs)
				}
			}},
		{n: 17, name: "OUT SSD", script: "S: OUT SSD\n", fatal: ErrServerShutdown},
		{n: 17, name: "bare OUT", script: "S: OUT\n", fatal: ErrClosed},

		// §2.2 payloads on the notification connection.
		{n: 22, name: "non-numeric length", script: raw("MSG Hotmail Hotmail abc\r\n0123456789"), fatal: ErrProtocol},
		{n: 23, name: "negative length", script: raw("NOT -1\r\n0123456789"), fatal: ErrProtocol},
		{n: 25, name: "length with a plus sign", script: raw("NOT +10\r\n0123456789"), fatal: ErrProtocol},
		{n: 25, name: "hex length", script: raw("NOT 0x10\r\n0123456789abcdef"), fatal: ErrProtocol},
		{n: 25, name: "exponent length", script: raw("NOT 1e3\r\n0123456789"), fatal: ErrProtocol},
		{n: 25, name: "seven digits", script: raw("NOT 0000010\r\n0123456789"), fatal: ErrProtocol},
		{n: 25, name: "full-width digits", script: raw("NOT １０\r\n0123456789"), fatal: ErrProtocol},
		{n: 25, name: "over the payload cap", script: raw("NOT 65537\r\n"), fatal: ErrProtocol},
		{n: 25, name: "leading zero allowed", script: raw("NOT 010\r\n0123456789"),
			events: func(t *testing.T, evs []Event) {
				if ns := eventsOf[*Notice](evs); len(ns) != 1 || string(ns[0].Payload) != "0123456789" {
					t.Errorf("notices %+v", ns)
				}
			}},
		{n: 26, name: "declared 100, sent 10, EOF", script: raw("NOT 100\r\n0123456789") + "close\n", fatal: ErrCutOff,
			events: func(t *testing.T, evs []Event) {
				if len(evs) != 0 {
					t.Errorf("(N) partial payload delivered: %v", evs)
				}
			}},
		{n: 28, name: "command smuggled in a body", script: raw("NOT 12\r\nhello\r\nOUT\r\n"),
			events: func(t *testing.T, evs []Event) {
				wantEvents(0, 0, 0)(t, evs)
				if ns := eventsOf[*Notice](evs); len(ns) != 1 || string(ns[0].Payload) != "hello\r\nOUT\r\n" {
					t.Errorf("notices %+v", ns)
				}
			}},
		{n: 29, name: "zero-length message", script: raw("MSG Hotmail Hotmail 0\r\n"), events: wantEvents(1, 0, 0)},
		{n: 32, name: "60 000-byte NOT", script: raw("NOT 60000\r\n<NOTIFICATION>" + strings.Repeat("x", 60000-29) + "</NOTIFICATION>"),
			events: func(t *testing.T, evs []Event) {
				if ns := eventsOf[*Notice](evs); len(ns) != 1 || len(ns[0].Payload) != 60000 {
					t.Errorf("notices %d", len(ns))
				}
			}},

		// §2.3 the profile message.
		{n: 46, name: "profile with credentials from Hotmail", script: `
S: MSG Hotmail Hotmail *
| MIME-Version: 1.0
| Content-Type: text/x-msmsgsprofile; charset=UTF-8
| MSPAuth: 2CACCBCCADMoV8ORoz64BVwmjtksIg$$
| sid: 507
| kv: 5
|
`, events: func(t *testing.T, evs []Event) {
			sm := eventsOf[*ServerMessage](evs)
			if len(sm) != 1 || sm[0].Message.ContentType() != "text/x-msmsgsprofile" {
				t.Errorf("server messages %v", evs)
			}
		}},
		{n: 46, name: "profile from someone else", script: `
S: MSG mallory@example.com Hotmail *
| MIME-Version: 1.0
| Content-Type: text/x-msmsgsprofile; charset=UTF-8
| MSPAuth: forged
|
`, events: func(t *testing.T, evs []Event) {
			if sm := eventsOf[*ServerMessage](evs); len(sm) != 0 {
				t.Errorf("(N) a message from %q taken for the service's: %v", "mallory@example.com", evs)
			}
		}},

		// §2.4 events.
		{n: 43, name: "raw bidi and zero-width characters in a line", script: raw("NLN NLN a@b.com Bob\u202e\u200b 0\r\n"),
			events: presenceName("Bob\u202e\u200b")},
		{n: 43, name: "contact address with a bidi override", act: func(ctx context.Context, n *Notification) error {
			_, err := n.AddContact(ctx, ForwardList, "bob\u202e@example.com", "Bob", NoGroup)
			return err
		}, actErr: ErrInvalidArgument},
		{n: 43, name: "renamed address with a zero-width space", act: func(ctx context.Context, n *Notification) error {
			_, err := n.RenameContact(ctx, "bob\u200b@example.com", "Bob")
			return err
		}, actErr: ErrInvalidArgument},
		{n: 47, name: "broken %-encoding in a name", script: raw("NLN NLN a@b.com %ZZ%4 0\r\n"), events: presenceName("%ZZ%4")},
		{n: 49, name: "15 KiB name", script: raw("NLN NLN a@b.com " + strings.Repeat("%41", 5000) + " 0\r\n"),
			events: presenceName(strings.Repeat("A", MaxNameBytes))},
		{n: 49, name: "long name cut on a rune boundary", script: raw("NLN NLN a@b.com A" + strings.Repeat("%C3%A9", 600) + " 0\r\n"),
			events: presenceName("A" + strings.Repeat("é", (MaxNameBytes-1)/2))},
		{n: 50, name: "unknown status code", script: raw("NLN XYZ a@b.com Bob 0\r\n"),
			events: func(t *testing.T, evs []Event) {
				ps := eventsOf[*Presence](evs)
				if len(ps) != 1 || ps[0].Status.Valid() || ps[0].Status != "XYZ" {
					t.Errorf("presence %+v", ps)
				}
			}},
		{n: 55, name: "RNG flood", script: rngFlood(1000),
			events: func(t *testing.T, evs []Event) {
				if rs := eventsOf[*Ring](evs); len(rs) != 1000 {
					t.Errorf("%d rings, want each passed on once", len(rs))
				}
			}},
		{n: 56, name: "empty challenge", script: raw("CHL 0 \r\n"), events: wantEvents(1, 0, 0)},
		{n: 56, name: "10 KB challenge", script: "S: CHL 0 " + longChallenge + "\n" + qry(longChallenge), await: "C: QRY",
			events: wantEvents(0, 0, 0)},
		{n: 56, name: "challenge with non-digits", script: "S: CHL 0 abc%def\n" + qry("abc%def"), await: "C: QRY",
			events: wantEvents(0, 0, 0)},
		{n: 56, name: "challenge with two fields", script: raw("CHL 0 123 456\r\n"), events: wantEvents(0, 0, 1)},
	}
}

// rngFlood is n RNG lines of the flood case.
func rngFlood(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "S: RNG %d 203.0.113.9:1863 CKI %d.%d u%d@example.com U\n", i+1, i, i, i)
	}
	return b.String()
}

func TestHostileNotificationServer(t *testing.T) {
	for _, r := range nsRows() {
		t.Run(fmt.Sprintf("%d %s", r.n, r.name), func(t *testing.T) {
			before := runtime.NumGoroutine()
			runNSRow(t, r)
			// Every goroutine of the session has ended; goleak checks the
			// package at exit, this checks each row.
			deadline := time.Now().Add(time.Second)
			for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			if after := runtime.NumGoroutine(); after > before {
				t.Errorf("(T) %d goroutines left after the row", after-before)
			}
		})
	}
}
