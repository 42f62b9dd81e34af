package switchboard

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"msn/proto"
	"msn/proto/msntest"
)

// The hostile switchboard (hostile-inputs.md §2.2, §2.3, §2.5, §2.6 on
// the wire), one row per case: the switchboard's lines after bob has
// joined, what the conversation ends with, and the events it must (and
// must not) produce. runSBRow checks the invariants of §2.0 on top: (E)
// the error matches its sentinel and is sticky, (N) nothing reported
// delivered that was not, (C) bounded allocation, (T) every row ends
// within sbRowBound and leaves no goroutine (goleak at exit), (S) the
// cookie never reaches an error, (D) errors are printable. Parsing of
// single payloads and invitation fields has its own tables
// (receive_test.go, TestHostileInvitations in fileinvite_test.go).

// sbRowBound is how long any row may take (T).
const sbRowBound = 3 * time.Second

// sbRowAlloc bounds the bytes a row may allocate (C), apart from rows
// that deliver that much on purpose.
const sbRowAlloc = 8 << 20

// sbRow is one hostile case on a conversation with bob.
type sbRow struct {
	n    int
	name string
	// script follows bob's JOI (or USR OK when noBob is set); the
	// client's TrIDs go on at $3 ($2 without bob).
	script string
	noBob  bool
	// act runs while the script plays; actErr is what it must return.
	act    func(ctx context.Context, sb *Switchboard) error
	actErr error
	// fatal is the error the conversation must end with; nil means it
	// goes on and delivers the fence message that runSBRow appends.
	fatal  error
	events func(t *testing.T, evs []Event)
	alloc  uint64
}

// textMSG is an incoming message from bob with the given payload lines.
func textMSG(body string) string {
	return "S: MSG bob@example.com Bob *\n| MIME-Version: 1.0\n| Content-Type: text/plain; charset=UTF-8\n|\n| " + body + "\n"
}

// rawLine is a script line that writes s as it is.
func rawLine(s string) string { return fmt.Sprintf("S: raw %q\n", s) }

// isFence reports the message runSBRow sends last.
func isFence(e Event) bool { m, ok := e.(*IncomingMessage); return ok && m.Text == "fence" }

// runSBRow plays r and checks it.
func runSBRow(t *testing.T, r sbRow) {
	t.Helper()
	text := r.script
	if r.fatal == nil {
		text += textMSG("fence") + "C: OUT\nS: OUT\nclose\n"
	} else if errors.Is(r.fatal, proto.ErrCutOff) {
		// The server ended the conversation: nothing is said to it.
		text += "C: EOF\n"
	} else {
		// This side ends the conversation, and says goodbye first.
		text += "C: OUT\nC: EOF\n"
	}
	meter := msntest.StartAllocMeter()
	start := time.Now()
	sb, rec, done := startSwitchboard(t, text, !r.noBob)
	ctx, cancel := context.WithTimeout(context.Background(), sbRowBound)
	defer cancel()
	var errs []string
	if r.act != nil {
		err := r.act(ctx, sb)
		if r.actErr == nil && err != nil || r.actErr != nil && !errors.Is(err, r.actErr) {
			t.Errorf("(E) request returned %v, want %v", err, r.actErr)
		}
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	if r.fatal == nil {
		rec.waitFor(t, "fence", isFence)
		if err := sb.Err(); err != nil {
			t.Errorf("the conversation ended: %v", err)
		}
	} else {
		select {
		case <-sb.Done():
		case <-ctx.Done():
			t.Fatalf("(T) the conversation did not end within %v", sbRowBound)
		}
		if !errors.Is(sb.Err(), r.fatal) {
			t.Errorf("(E) the conversation ended with %v, want %v", sb.Err(), r.fatal)
		}
		if err := sb.SendText(ctx, "after", nil); !errors.Is(err, r.fatal) {
			t.Errorf("(N) a send after the end returned %v, want the same error", err)
		}
		errs = append(errs, sb.Err().Error())
	}
	done()
	if d := time.Since(start); d > sbRowBound {
		t.Errorf("(T) the row took %v", d)
	}
	bound := r.alloc
	if bound == 0 {
		bound = sbRowAlloc
	}
	if got := meter.Bytes(); got > bound {
		t.Errorf("(C) %d bytes allocated, bound %d", got, bound)
	}
	evs := rec.all()
	for _, m := range ofType[*Malformed](rec) {
		if !errors.Is(m.Err, proto.ErrProtocol) {
			t.Errorf("(E) malformed line reported as %v, not a protocol error", m.Err)
		}
		errs = append(errs, m.Err.Error())
	}
	for _, e := range errs {
		if strings.Contains(e, "c00kie") {
			t.Errorf("(S) error holds the switchboard cookie: %q", e)
		}
		for _, c := range e {
			if c < ' ' || c == 0x7f || c >= 0x80 && c < 0xa0 || c >= 0x202a && c <= 0x202e {
				t.Errorf("(D) error holds the raw character %U: %q", c, e)
				break
			}
		}
	}
	if r.events != nil {
		r.events(t, evs)
	}
}

// texts returns the texts of the incoming messages among evs, the fence
// left out.
func texts(evs []Event) []string {
	var out []string
	for _, e := range evs {
		if m, ok := e.(*IncomingMessage); ok && !isFence(m) {
			out = append(out, m.Text)
		}
	}
	return out
}

// wantTexts returns a check that exactly these texts arrived, in order,
// with malformed Malformed events.
func wantTexts(malformed int, want ...string) func(t *testing.T, evs []Event) {
	return func(t *testing.T, evs []Event) {
		t.Helper()
		if got := texts(evs); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("(N) texts %q, want %q", got, want)
		}
		n := 0
		for _, e := range evs {
			if _, ok := e.(*Malformed); ok {
				n++
			}
		}
		if n != malformed {
			t.Errorf("%d malformed events, want %d: %v", n, malformed, evs)
		}
	}
}

// firstMessage returns a check on the first incoming message.
func firstMessage(check func(t *testing.T, m *IncomingMessage)) func(t *testing.T, evs []Event) {
	return func(t *testing.T, evs []Event) {
		t.Helper()
		for _, e := range evs {
			if m, ok := e.(*IncomingMessage); ok && !isFence(m) {
				check(t, m)
				return
			}
		}
		t.Errorf("no message: %v", evs)
	}
}

// payloadMSG is an incoming message from bob whose payload is p, sent as
// raw bytes.
func payloadMSG(p string) string {
	return rawLine(fmt.Sprintf("MSG bob@example.com Bob %d\r\n%s", len(p), p))
}

// sendText is the request of the rows whose lines answer a send.
func sendText(text string) func(ctx context.Context, sb *Switchboard) error {
	return func(ctx context.Context, sb *Switchboard) error { return sb.SendText(ctx, text, nil) }
}

// sentText is the client's MSG of text as SendText writes it, with its
// exact length: the rows check the bytes, not the rune count (§2.2 #31).
func sentText(n int, text string) string {
	return fmt.Sprintf("C: MSG $3 A %d\n| MIME-Version: 1.0\n| Content-Type: text/plain; charset=UTF-8\n"+
		"| X-MMS-IM-Format: FN=Arial; EF=; CO=0; CS=0; PF=22\n|\n| %s\n", n, text)
}

func sbRows() []sbRow {
	flood := strings.Builder{}
	var floodTexts []string
	for i := 0; i < 1000; i++ {
		flood.WriteString(textMSG(fmt.Sprint(i)))
		floodTexts = append(floodTexts, fmt.Sprint(i))
	}
	joins := strings.Builder{}
	for i := 0; i < MaxParticipants; i++ {
		fmt.Fprintf(&joins, "S: JOI user%d@example.com U\n", i)
	}
	rows := []sbRow{
		// §2.2 payload lengths: only 1 to 6 ASCII digits, at most MaxPayload.
		{n: 28, name: "command smuggled in a body", script: payloadMSG("MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhello\r\nOUT\r\n"),
			events: wantTexts(0, "hello\r\nOUT\r\n")},
		{n: 29, name: "zero-length payload", script: rawLine("MSG bob@example.com Bob 0\r\n"), events: wantTexts(1)},
		{n: 25, name: "leading zero allowed", script: rawLine("MSG bob@example.com Bob 010\r\nA:b\r\n\r\nxyz"),
			events: firstMessage(func(t *testing.T, m *IncomingMessage) {
				if string(m.Message.Body) != "xyz" {
					t.Errorf("body %q", m.Message.Body)
				}
			})},
		{n: 26, name: "declared 100, sent 10, EOF, during a send", script: sentText(118, "hello") +
			rawLine("MSG bob@example.com Bob 100\r\n0123456789") + "close\n",
			act: sendText("hello"), actErr: proto.ErrCutOff, fatal: proto.ErrCutOff, events: wantTexts(0)},
		{n: 31, name: "byte-exact length of a non-ASCII send", script: sentText(123, "héllo ✓") + "S: ACK $3\n",
			act: sendText("héllo ✓")},

		// §2.3 MIME.
		{n: 34, name: "header line without a colon", script: payloadMSG("MIME-Version: 1.0\r\nGarbage line\r\nContent-Type: text/plain\r\n\r\nhi"),
			events: wantTexts(1)},
		{n: 35, name: "duplicate Content-Type: the first wins", script: payloadMSG("Content-Type: text/plain; charset=UTF-8\r\n" +
			"Content-Type: text/x-msmsgscontrol\r\nTypingUser: x\r\n\r\nhi"), events: wantTexts(0, "hi")},
		{n: 37, name: "LF-only MIME", script: payloadMSG("MIME-Version: 1.0\nContent-Type: text/plain\n\nhi"), events: wantTexts(0, "hi")},
		{n: 38, name: "abusive X-MMS-IM-Format", script: payloadMSG("Content-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=" +
			strings.Repeat("A", 7990) + "; CO=zzzzzz; CS=-1; EF=BIUSBIUS; PF=999\r\n\r\nhi"), events: wantTexts(0, "hi")},
		{n: 38, name: "header over 8 KiB", script: payloadMSG("Content-Type: text/plain\r\nX-MMS-IM-Format: FN=" +
			strings.Repeat("A", 9000) + "\r\n\r\nhi"), events: wantTexts(1)},
		{n: 38, name: "65 headers", script: payloadMSG(strings.Repeat("X-A: b\r\n", 65) + "\r\nhi"), events: wantTexts(1)},
		{n: 40, name: "charset UTF-8.0", script: payloadMSG("Content-Type: text/plain; charset=UTF-8.0\r\n\r\n\xc3\xa9\xff"),
			events: wantTexts(0, "é\uFFFD")},
		{n: 40, name: "charset x-unknown", script: payloadMSG("Content-Type: text/plain; charset=x-unknown\r\n\r\n\xe9"),
			events: wantTexts(0, "\uFFFD")},
		{n: 40, name: "empty charset", script: payloadMSG("Content-Type: text/plain; charset=\r\n\r\nok"), events: wantTexts(0, "ok")},
		{n: 41, name: "invalid UTF-8 body, raw bytes kept", script: payloadMSG("Content-Type: text/plain; charset=UTF-8\r\n\r\n\xff\xfe\xc3\x28"),
			events: firstMessage(func(t *testing.T, m *IncomingMessage) {
				if m.Text != "\uFFFD(" || string(m.Message.Body) != "\xff\xfe\xc3\x28" {
					t.Errorf("text %q body %q", m.Text, m.Message.Body)
				}
			})},
		{n: 43, name: "bidi and zero-width characters reach the caller as sent", script: rawLine(fmt.Sprintf("MSG bob@example.com Bob%%E2%%80%%AE%%E2%%80%%8B %d\r\n%s", len(bidiPayload), bidiPayload)),
			events: firstMessage(func(t *testing.T, m *IncomingMessage) {
				// Escaping is the display's job (commands); proto keeps
				// the text exact so that nothing is lost.
				if m.FromName != "Bob\u202e\u200b" || m.Text != "\u202egnp.exe" {
					t.Errorf("name %q text %q", m.FromName, m.Text)
				}
			})},
		{n: 44, name: "P2P message ignored, not parsed", script: payloadMSG("MIME-Version: 1.0\r\nContent-Type: application/x-msnmsgrp2p\r\n" +
			"P2P-Dest: alice@example.com\r\n\r\n\x00\x00\x00\x00\xff\xff\xff\xff"),
			events: firstMessage(func(t *testing.T, m *IncomingMessage) {
				if m.ContentType != "application/x-msnmsgrp2p" || m.Text != "" {
					t.Errorf("message %+v", m)
				}
			})},
		{n: 46, name: "Hotmail on a switchboard is a peer", script: `
S: MSG Hotmail Hotmail *
| MIME-Version: 1.0
| Content-Type: text/x-msmsgsprofile; charset=UTF-8
| MSPAuth: 2CACCBCCADMoV8ORoz64BVwmjtksIg!!
|
`, events: firstMessage(func(t *testing.T, m *IncomingMessage) {
			if m.From != "Hotmail" || m.ContentType != "text/x-msmsgsprofile" {
				t.Errorf("message %+v", m)
			}
		})},

		// §2.5 the conversation.
		{n: 59, name: "callee offline", noBob: true, script: "C: CAL $2 x@y.com\nS: 217 $2\n",
			act: func(ctx context.Context, sb *Switchboard) error { return sb.Invite(ctx, "x@y.com") }, actErr: proto.ErrOffline},
		{n: 43, name: "callee address with a bidi override, refused before CAL", noBob: true,
			act:    func(ctx context.Context, sb *Switchboard) error { return sb.Invite(ctx, "x\u202e@y.com") },
			actErr: proto.ErrInvalidArgument},
		{n: 43, name: "callee address with a word joiner, refused before CAL", noBob: true,
			act:    func(ctx context.Context, sb *Switchboard) error { return sb.Invite(ctx, "x@y\u2060.com") },
			actErr: proto.ErrInvalidArgument},
		{n: 61, name: "NAK", script: sentText(118, "hello") + "S: NAK $3\n", act: sendText("hello"), actErr: ErrNotDelivered},
		{n: 61, name: "ACK for another TrID", script: sentText(118, "hello") + "S: ACK 99\nS: NAK $3\n",
			act: sendText("hello"), actErr: ErrNotDelivered},
		{n: 64, name: "participant flood", script: joins.String(), fatal: proto.ErrProtocol, alloc: 64 << 20},
		{n: 65, name: "message flood", script: flood.String(), events: wantTexts(0, floodTexts...), alloc: 256 << 20},

		// §2.6 invitations on the wire: passed on, never acted on.
		{n: 67, name: "invitation with a bad cookie", script: invite("54902160%20%20%20", "a.txt", "10"),
			events: func(t *testing.T, evs []Event) {
				inv := invitations(evs)
				if len(inv) != 1 || !errors.Is(inv[0].CheckFileOffer(), ErrBadInvitation) {
					t.Errorf("invitations %+v", inv)
				}
			}},
		{n: 68, name: "duplicate cookie from the same sender", script: invite("77", "a.txt", "10") + invite("77", "b.txt", "10"),
			events: func(t *testing.T, evs []Event) {
				if inv := invitations(evs); len(inv) != 1 || inv[0].File != "a.txt" {
					t.Errorf("invitations %+v", inv)
				}
			}},
		{n: 73, name: "file size not a number", script: invite("78", "a.txt", "1e9"),
			events: func(t *testing.T, evs []Event) {
				inv := invitations(evs)
				if len(inv) != 1 || inv[0].Size != -1 || !errors.Is(inv[0].CheckFileOffer(), ErrBadInvitation) {
					t.Errorf("invitations %+v", inv)
				}
			}},
		{n: 74, name: "path in Application-File passed on unsanitised", script: invite("79", `..\..\AppData\x.dll`, "10"),
			events: func(t *testing.T, evs []Event) {
				// Cleaning the name is the receiving command's job
				// (commands/inbox.SafeName), with the raw name in hand.
				if inv := invitations(evs); len(inv) != 1 || inv[0].File != `..\..\AppData\x.dll` {
					t.Errorf("invitations %+v", inv)
				}
			}},
	}
	for _, n := range []string{"abc", "-1", "+10", "0x10", "1e3", "1234567", "99999", "１０", ""} {
		rows = append(rows, sbRow{n: 22, name: fmt.Sprintf("payload length %q", n),
			script: rawLine("MSG bob@example.com Bob " + n + "\r\n0123456789"), fatal: proto.ErrProtocol, events: wantTexts(0)})
	}
	return rows
}

// bidiPayload is a text whose first character reverses what follows.
const bidiPayload = "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n\u202egnp.exe"

// invite is an INVITE for a file from bob.
func invite(cookie, file, size string) string {
	return payloadMSG("MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinvite; charset=UTF-8\r\n\r\n" +
		"Application-Name: File Transfer\r\nApplication-GUID: " + FileTransferGUID + "\r\nInvitation-Command: INVITE\r\n" +
		"Invitation-Cookie: " + cookie + "\r\nApplication-File: " + file + "\r\nApplication-FileSize: " + size + "\r\n\r\n")
}

// invitations returns the invitation events among evs.
func invitations(evs []Event) []*Invitation {
	var out []*Invitation
	for _, e := range evs {
		if inv, ok := e.(*Invitation); ok {
			out = append(out, inv)
		}
	}
	return out
}

func TestHostileSwitchboard(t *testing.T) {
	for _, r := range sbRows() {
		t.Run(fmt.Sprintf("%d %s", r.n, r.name), func(t *testing.T) { runSBRow(t, r) })
	}
}

func TestSwitchboardInconsistentIRO(t *testing.T) {
	// §2.5 #62, on the answering side: the counts are ignored, the
	// roster is the lines.
	d := newDialerWithAnswer(t, `
C: ANS $1 bob@example.com c00kie 42
S: IRO $1 5 2 a@b.com A
S: IRO $1 1 1 c@d.com C
S: IRO $1 1 1 bob@example.com Bob
S: ANS $1 OK
C: OUT
S: OUT
close
`)
	ns := signIn(t, d, bob, "C: OUT\nS: OUT\nclose\n", nil)
	ctx := msntest.Context(t)
	sb, err := Answer(ctx, ns, &proto.Ring{SessionID: "42", Addr: sbAddr, Cookie: "c00kie"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := sb.Participants(); len(got) != 2 || got[0].Email != "a@b.com" || got[1].Email != "c@d.com" {
		t.Errorf("participants = %v", got)
	}
	sb.Leave(ctx)
	ns.Logout(ctx)
	d.Check(t)
}

func TestSwitchboardServerOUT(t *testing.T) {
	// A server that says OUT on its own ends the conversation; Invite
	// waiting for a JOI fails with the connection's error.
	sb, _, done := startSwitchboard(t, `
C: CAL $2 bob@example.com
S: CAL $2 RINGING 1
S: OUT
C: EOF
`, false)
	if err := sb.Invite(msntest.Context(t), "bob@example.com"); !errors.Is(err, proto.ErrClosed) {
		t.Errorf("Invite = %v, want ErrClosed", err)
	}
	done()
}
