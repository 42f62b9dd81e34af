package switchboard

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"msn/proto"
	"msn/proto/msntest"
)

// Hostile switchboard input (hostile-inputs.md §2.2 and §2.5), played
// after bob has joined.

// textMSG is an incoming message from bob with the given payload lines.
func textMSG(body string) string {
	return "S: MSG bob@example.com Bob *\n| MIME-Version: 1.0\n| Content-Type: text/plain; charset=UTF-8\n|\n| " + body + "\n"
}

func TestSwitchboardBadPayloadLength(t *testing.T) {
	// §2.2 #22, #23, #25: only 1 to 6 ASCII digits, at most MaxPayload.
	for _, n := range []string{"abc", "-1", "+10", "0x10", "1e3", "1234567", "99999", "１０"} {
		t.Run(n, func(t *testing.T) {
			sb, rec, done := startSwitchboard(t, fmt.Sprintf("S: raw %q\nC: OUT\nC: EOF\n", "MSG bob@example.com Bob "+n+"\r\n0123456789"), true)
			<-sb.Done()
			if !errors.Is(sb.Err(), proto.ErrProtocol) {
				t.Errorf("Err = %v, want a protocol error", sb.Err())
			}
			if err := sb.SendText(msntest.Context(t), "after", nil); !errors.Is(err, proto.ErrProtocol) {
				t.Errorf("send after the failure: %v, want the sticky protocol error", err)
			}
			if got := ofType[*IncomingMessage](rec); len(got) != 0 {
				t.Errorf("message delivered: %+v", got)
			}
			done()
		})
	}
}

func TestSwitchboardLeadingZeroLength(t *testing.T) {
	// §2.2 #25: a leading zero is allowed; "010" is ten bytes.
	sb, rec, done := startSwitchboard(t, fmt.Sprintf("S: raw %q\nC: OUT\nS: OUT\nclose\n",
		"MSG bob@example.com Bob 010\r\nA:b\r\n\r\nxyz"), true)
	m := rec.waitFor(t, "message", func(e Event) bool { _, ok := e.(*IncomingMessage); return ok }).(*IncomingMessage)
	if string(m.Message.Body) != "xyz" {
		t.Errorf("body = %q", m.Message.Body)
	}
	_ = sb
	done()
}

func TestSwitchboardTruncatedPayload(t *testing.T) {
	// §2.2 #26: declared 100, sent 10, then EOF: no partial message, and
	// the pending send fails with the connection's error.
	sb, rec, done := startSwitchboard(t, `
C: MSG $3 A 117
| MIME-Version: 1.0
| Content-Type: text/plain; charset=UTF-8
| X-MMS-IM-Format: FN=Arial; EF=; CO=0; CS=0; PF=22
|
| lost
S: raw "MSG bob@example.com Bob 100\r\n0123456789"
close
`, true)
	err := sb.SendText(msntest.Context(t), "lost", nil)
	if err == nil || err != sb.Err() {
		t.Errorf("send err = %v, connection err = %v", err, sb.Err())
	}
	if !errors.Is(sb.Err(), io.ErrUnexpectedEOF) || errors.Is(sb.Err(), proto.ErrProtocol) {
		t.Errorf("Err = %v, want the cut (unexpected EOF), a temporary failure", sb.Err())
	}
	if got := ofType[*IncomingMessage](rec); len(got) != 0 {
		t.Errorf("partial message delivered: %+v", got)
	}
	done()
}

func TestSwitchboardSmuggledCommand(t *testing.T) {
	// §2.2 #28: a body holding a command line is text; OUT is not obeyed.
	// §2.2 #29: an empty payload is malformed and skipped.
	sb, rec, done := startSwitchboard(t, `
S: raw "MSG bob@example.com Bob 59\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhello\r\nOUT\r\n"
S: raw "MSG bob@example.com Bob 0\r\n"
`+textMSG("still here")+`
C: OUT
S: OUT
close
`, true)
	rec.waitFor(t, "last message", func(e Event) bool { m, ok := e.(*IncomingMessage); return ok && m.Text == "still here" })
	msgs := ofType[*IncomingMessage](rec)
	if len(msgs) != 2 || msgs[0].Text != "hello\r\nOUT\r\n" {
		t.Errorf("messages = %+v", msgs)
	}
	if len(ofType[*Malformed](rec)) != 1 {
		t.Errorf("empty payload not reported as malformed: %v", rec.all())
	}
	if sb.Err() != nil {
		t.Errorf("connection ended: %v", sb.Err())
	}
	done()
}

func TestSwitchboardInconsistentIRO(t *testing.T) {
	// §2.5 #62: the counts are ignored, the roster is the lines.
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

func TestSwitchboardParticipantFlood(t *testing.T) {
	// §2.5 #64: the roster is capped and the session ends. With bob, the
	// last of these JOI lines is one too many.
	var b strings.Builder
	for i := 0; i < MaxParticipants; i++ {
		fmt.Fprintf(&b, "S: JOI user%d@example.com U\n", i)
	}
	b.WriteString("C: OUT\nC: EOF\n")
	sb, _, done := startSwitchboard(t, b.String(), true)
	<-sb.Done()
	if !errors.Is(sb.Err(), proto.ErrProtocol) {
		t.Errorf("Err = %v, want a protocol error", sb.Err())
	}
	if n := len(sb.Participants()); n > MaxParticipants {
		t.Errorf("%d participants kept", n)
	}
	done()
}

func TestSwitchboardMessageFlood(t *testing.T) {
	// §2.5 #65: every message delivered, in order, through the handler.
	const n = 1000
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(textMSG(fmt.Sprint(i)))
	}
	b.WriteString("C: OUT\nS: OUT\nclose\n")
	_, rec, done := startSwitchboard(t, b.String(), true)
	rec.waitFor(t, "last message", func(e Event) bool { m, ok := e.(*IncomingMessage); return ok && m.Text == fmt.Sprint(n-1) })
	done()
	for i, m := range ofType[*IncomingMessage](rec) {
		if m.Text != fmt.Sprint(i) {
			t.Fatalf("message %d is %q", i, m.Text)
		}
	}
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

func TestSwitchboardHotmailIsAPeer(t *testing.T) {
	// §2.3 #46: on a switchboard, "Hotmail" is an ordinary participant.
	_, rec, done := startSwitchboard(t, `
S: MSG Hotmail Hotmail *
| MIME-Version: 1.0
| Content-Type: text/x-msmsgsprofile; charset=UTF-8
| MSPAuth: 2CACCBCCADMoV8ORoz64BVwmjtksIg!!
|
C: OUT
S: OUT
close
`, true)
	m := rec.waitFor(t, "message", func(e Event) bool { _, ok := e.(*IncomingMessage); return ok }).(*IncomingMessage)
	if m.From != "Hotmail" || m.ContentType != "text/x-msmsgsprofile" {
		t.Errorf("message = %+v", m)
	}
	done()
}
