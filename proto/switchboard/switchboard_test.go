package switchboard

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"msn/proto"
	"msn/proto/msntest"
)

func TestSwitchboardStart(t *testing.T) {
	d := msntest.NewDialer()
	ns := signIn(t, d, alice, "start_ns.txt", nil)
	d.Add(sbAddr, msntest.TestdataScript(t, "start.txt"))
	ctx := msntest.Context(t)
	rec := newRecorder()
	sb, err := OpenWithStatus(ctx, ns, proto.StatusOnline, Options{Handler: rec.add})
	if err != nil {
		t.Fatal(err)
	}
	if err := sb.Invite(ctx, "bob@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := sb.SendTyping(ctx); err != nil {
		t.Fatal(err)
	}
	if err := sb.SendText(ctx, "Hello Bob, this is Alice éè (utf-8).", nil); err != nil {
		t.Fatal(err)
	}
	if err := sb.SendText(ctx, "héllo ✓", nil); err != nil {
		t.Fatal(err)
	}
	if got := sb.Participants(); !reflect.DeepEqual(got, []Participant{{"bob@example.com", "Bob"}}) {
		t.Errorf("participants = %v", got)
	}
	if sb.SessionID() != "11752013" {
		t.Errorf("session id = %q", sb.SessionID())
	}
	if err := sb.Leave(ctx); err != nil {
		t.Fatal(err)
	}
	ns.Logout(ctx)
	d.Check(t)
	want := []Event{&Joined{Email: "bob@example.com", Name: "Bob"}}
	if got := rec.all(); !reflect.DeepEqual(got, want) {
		t.Errorf("events = %v, want %v", got, want)
	}
}

func TestSwitchboardAnswer(t *testing.T) {
	for _, acct := range []account{bob, bob7} {
		t.Run(string(acct.Protocol), func(t *testing.T) {
			ns, sb, rec, d := answerSwitchboard(t, acct, "answer.txt")
			ctx := msntest.Context(t)
			if got := sb.Participants(); !reflect.DeepEqual(got, []Participant{{"alice@example.com", "Alice"}}) {
				t.Errorf("participants after Answer = %v", got)
			}
			rec.waitFor(t, "p2p message", func(e Event) bool {
				m, ok := e.(*IncomingMessage)
				return ok && m.ContentType == "application/x-msnmsgrp2p"
			})
			if err := sb.SendTyping(ctx); err != nil {
				t.Fatal(err)
			}
			rec.waitFor(t, "Left", func(e Event) bool { _, ok := e.(*Left); return ok })
			if len(sb.Participants()) != 0 {
				t.Errorf("participants after BYE = %v", sb.Participants())
			}
			sb.Leave(ctx)
			ns.Logout(ctx)
			d.Check(t)
			checkAnswerEvents(t, rec.all())
		})
	}
}

// checkAnswerEvents checks the events of answer.txt, in order.
func checkAnswerEvents(t *testing.T, events []Event) {
	t.Helper()
	if len(events) != 6 {
		t.Fatalf("got %d events, want 6: %v", len(events), events)
	}
	if j, ok := events[0].(*Joined); !ok || *j != (Joined{"alice@example.com", "Alice", true}) {
		t.Errorf("event 0 = %+v, want alice joined (initial); bob's own JOI is not an event", events[0])
	}
	m, ok := events[1].(*IncomingMessage)
	if !ok || m.From != "alice@example.com" || m.FromName != "Alice" || m.ContentType != "text/plain" ||
		m.Text != "Hello Bob, this is Alice éè (utf-8)." || m.Format == nil || m.Format.Font != "Arial" {
		t.Errorf("event 1 = %+v", events[1])
	}
	if ty, ok := events[2].(*Typing); !ok || ty.Email != "alice@example.com" {
		t.Errorf("event 2 = %+v, want typing", events[2])
	}
	inv, ok := events[3].(*Invitation)
	if !ok || inv.Command != "INVITE" || inv.Cookie != "31337" || inv.AppName != "File Transfer" ||
		inv.AppGUID != "{5D3E02AB-6190-11d3-BBBB-00C04F795683}" || inv.File != "hello.txt" ||
		inv.Size != 2900 || inv.Field("connectivity") != "N" || inv.From != "alice@example.com" {
		t.Errorf("event 3 = %+v, want the file invitation", events[3])
	}
	if m, ok := events[4].(*IncomingMessage); !ok || m.ContentType != "application/x-msnmsgrp2p" || m.Text != "" ||
		string(m.Message.Body) != "binary" {
		t.Errorf("event 4 = %+v, want the unknown content type delivered", events[4])
	}
	if l, ok := events[5].(*Left); !ok || *l != (Left{Email: "alice@example.com"}) {
		t.Errorf("event 5 = %+v, want alice left", events[5])
	}
}

func TestSwitchboardMultiParty(t *testing.T) {
	sb, rec, done := startSwitchboard(t, "multiparty.txt", true)
	ctx := msntest.Context(t)
	if err := sb.Invite(ctx, "carol@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := sb.Invite(ctx, "bob@example.com"); err != nil {
		t.Fatalf("inviting someone already there: %v", err)
	}
	want := []Participant{{"bob@example.com", "Bob"}, {"carol@example.com", "Carol C."}}
	if got := sb.Participants(); !reflect.DeepEqual(got, want) {
		t.Errorf("participants = %v, want %v", got, want)
	}
	if err := sb.SendText(ctx, "Hello, both of you", nil); err != nil {
		t.Fatal(err)
	}
	rec.waitFor(t, "bob left", func(e Event) bool { l, ok := e.(*Left); return ok && l.Email == "bob@example.com" })
	if got := sb.Participants(); !reflect.DeepEqual(got, []Participant{{"dave@example.com", "Dave"}}) {
		t.Errorf("participants = %v, want dave only", got)
	}
	done()
	left := ofType[*Left](rec)
	if len(left) != 2 || left[0].Idle || !left[1].Idle {
		t.Errorf("left events = %+v; want carol, then bob idle", left)
	}
}

func TestSwitchboardSplitLongText(t *testing.T) {
	sb, _, done := startSwitchboard(t, "split.txt", true)
	var lines []string
	for i := 0; i < 31; i++ {
		lines = append(lines, string(rune('0'+i/10))+string(rune('0'+i%10))+strings.Repeat("x", 46))
	}
	// Bare LFs become CRLF on the wire.
	text := strings.Join(lines, "\n") + "\néé tail"
	if err := sb.SendText(msntest.Context(t), text, nil); err != nil {
		t.Fatal(err)
	}
	done()
}

func TestSwitchboardAcks(t *testing.T) {
	sb, rec, done := startSwitchboard(t, "acks.txt", true)
	ctx := msntest.Context(t)
	if err := sb.SendText(ctx, "first", nil); err != nil {
		t.Fatalf("ACK: %v", err)
	}
	err := sb.SendText(ctx, "second", nil)
	var nak *NAKError
	if !errors.Is(err, ErrNotDelivered) || !errors.As(err, &nak) {
		t.Fatalf("NAK: err = %v, want a *NAKError matching ErrNotDelivered", err)
	}
	inv := &proto.Message{
		Headers: []proto.Header{{Name: "MIME-Version", Value: "1.0"}, {Name: "Content-Type", Value: "text/x-msmsgsinvite; charset=UTF-8"}},
		Body: []byte("Application-Name: File Transfer\r\nApplication-GUID: {5D3E02AB-6190-11d3-BBBB-00C04F795683}\r\n" +
			"Invitation-Command: INVITE\r\nInvitation-Cookie: 31337\r\nApplication-File: hello.txt\r\n" +
			"Application-FileSize: 2900\r\nConnectivity: N\r\n\r\n"),
	}
	if err := sb.Send(ctx, inv, AckNegative); err != nil {
		t.Fatal(err)
	}
	u := rec.waitFor(t, "Undelivered", func(e Event) bool { _, ok := e.(*Undelivered); return ok }).(*Undelivered)
	if u.Message != inv || u.TrID == 0 {
		t.Errorf("undelivered = %+v, want the invitation", u)
	}
	if err := sb.Send(ctx, inv, AckNegative); err != nil {
		t.Fatal(err)
	}
	done()
	if n := len(ofType[*Undelivered](rec)); n != 1 {
		t.Errorf("%d undelivered events, want 1", n)
	}
}

func TestSwitchboardPeerLeavesMidSend(t *testing.T) {
	sb, rec, done := startSwitchboard(t, "peer_left.txt", true)
	ctx := msntest.Context(t)
	one, two := sb.GoText(ctx, "one", nil), sb.GoText(ctx, "two", nil)
	for _, d := range []*Delivery{one, two} {
		if err := d.Wait(ctx); !errors.Is(err, ErrNotDelivered) {
			t.Errorf("%s: err = %v, want ErrNotDelivered", d.Text, err)
		}
	}
	rec.waitFor(t, "Left", func(e Event) bool { _, ok := e.(*Left); return ok })
	if err := sb.SendText(ctx, "three", nil); !errors.Is(err, ErrNoParticipants) {
		t.Errorf("sending with nobody there: err = %v, want ErrNoParticipants", err)
	}
	done()
}

func TestSwitchboardClosedMidSend(t *testing.T) {
	sb, _, done := startSwitchboard(t, "closed.txt", true)
	ctx := msntest.Context(t)
	s := sb.NewSender(4, nil)
	for _, text := range []string{"one", "two"} {
		if err := s.Send(ctx, text); err != nil {
			t.Fatal(err)
		}
	}
	err := s.Flush(ctx)
	if !errors.Is(err, proto.ErrClosed) {
		t.Fatalf("flush: err = %v, want ErrClosed", err)
	}
	<-sb.Done()
	if !errors.Is(sb.Err(), proto.ErrClosed) {
		t.Errorf("Err = %v", sb.Err())
	}
	if got := s.Unconfirmed(); !reflect.DeepEqual(got, []string{"one", "two"}) || s.Confirmed() != 0 {
		t.Errorf("unconfirmed = %q, confirmed = %d; want both unconfirmed", got, s.Confirmed())
	}
	if err := s.Send(ctx, "three"); err == nil {
		t.Error("Send after failure succeeded")
	}
	if err := sb.SendText(ctx, "four", nil); !errors.Is(err, proto.ErrClosed) {
		t.Errorf("SendText on a closed switchboard: %v", err)
	}
	done()
}

func TestSwitchboardWindow(t *testing.T) {
	sb, _, done := startSwitchboard(t, "window.txt", true)
	ctx := msntest.Context(t)
	s := sb.NewSender(2, nil)
	for i := 1; i <= 4; i++ {
		if err := s.Send(ctx, "m"+string(rune('0'+i))); err != nil {
			t.Fatal(err)
		}
		if len(s.inflight) > 2 {
			t.Fatalf("%d texts in flight with a window of 2", len(s.inflight))
		}
	}
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if s.Confirmed() != 4 || len(s.Unconfirmed()) != 0 {
		t.Errorf("confirmed %d, want 4", s.Confirmed())
	}
	done()
}

// The contact who never joins is waited for in a bubble's time, for
// less than the script's own step timeout.
func TestSwitchboardInviteErrors(t *testing.T) {
	synctest.Test(t, testSwitchboardInviteErrors)
}

func testSwitchboardInviteErrors(t *testing.T) {
	sb, _, done := startSwitchboardWith(t, "invite_errors.txt", false, Options{JoinWait: time.Second})
	ctx := msntest.Context(t)
	for _, tc := range []struct {
		email string
		want  error
	}{
		{"bob@example.com", proto.ErrOffline},
		{"carol@example.com", proto.ErrUnknownUser},
		{"nobody@example.com", proto.ErrUnknownUser},
		{"dave@example.com", nil},
		{"eve@example.com", proto.ErrServerBusy},
		{"frank@example.com", ErrNoAnswer},
	} {
		if err := sb.Invite(ctx, tc.email); !errors.Is(err, tc.want) {
			t.Errorf("Invite(%s) = %v, want %v", tc.email, err, tc.want)
		}
	}
	for _, bad := range []string{"", "bob", "bob@x\r\nOUT", "a b@c", "alice@example.com"} {
		if err := sb.Invite(ctx, bad); !errors.Is(err, proto.ErrInvalidArgument) {
			t.Errorf("Invite(%q) = %v, want ErrInvalidArgument", bad, err)
		}
	}
	if err := sb.SendText(ctx, "anyone there?", nil); !errors.Is(err, ErrNoParticipants) {
		t.Errorf("SendText alone = %v, want ErrNoParticipants", err)
	}
	done()
}

func TestSwitchboardBadCookie(t *testing.T) {
	d := msntest.NewDialer()
	ns := signIn(t, d, alice, "C: XFR $5 SB\nS: XFR $5 SB "+sbAddr+" CKI bogus\nC: OUT\nS: OUT\nclose\n", nil)
	d.Add(sbAddr, msntest.Inline(t, "C: USR $1 alice@example.com bogus\nS: 911 $1\nC: OUT\nC: EOF\n"))
	ctx := msntest.Context(t)
	if _, err := Open(ctx, ns, Options{}); !errors.Is(err, proto.ErrAuthFailed) {
		t.Errorf("err = %v, want ErrAuthFailed", err)
	}
	ns.Logout(ctx)
	d.Check(t)
}

func TestSwitchboardBadReferrals(t *testing.T) {
	for _, tc := range []struct {
		line string
		want error
	}{
		{"XFR $5 SB 10.0.0.3:99999 CKI c00kie", proto.ErrBadAddress},
		{"XFR $5 SB 0.0.0.0:1864 CKI c00kie", proto.ErrBadAddress},
		{"XFR $5 SB evil_host:1864 CKI c00kie", proto.ErrBadAddress},
		{"XFR $5 SB 10.0.0.3:1864 XYZ c00kie", proto.ErrProtocol},
		{"XFR $5 SB 10.0.0.3:1864", proto.ErrProtocol},
		{"913 $5", proto.ErrNotAllowed},
	} {
		t.Run(tc.line, func(t *testing.T) {
			d := msntest.NewDialer()
			ns := signIn(t, d, alice, "C: XFR $5 SB\nS: "+tc.line+"\nC: OUT\nS: OUT\nclose\n", nil)
			ctx := msntest.Context(t)
			if _, err := Open(ctx, ns, Options{}); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			ns.Logout(ctx)
			d.Check(t)
		})
	}
}

func TestSwitchboardPublicServerPrivateReferral(t *testing.T) {
	d := msntest.NewDialer()
	ns := signInAt(t, d, "203.0.113.1:1863", alice, "C: XFR $5 SB\nS: XFR $5 SB 10.0.0.3:1864 CKI c00kie\nC: OUT\nS: OUT\nclose\n", nil)
	ctx := msntest.Context(t)
	if _, err := Open(ctx, ns, Options{}); !errors.Is(err, proto.ErrBadAddress) {
		t.Errorf("err = %v, want ErrBadAddress", err)
	}
	for _, r := range []*proto.Ring{
		nil,
		{SessionID: "1", Addr: "10.0.0.3:1864", Cookie: "c"},
		{SessionID: "1", Addr: "203.0.113.5:1864", Cookie: "c d"},
		{SessionID: "", Addr: "203.0.113.5:1864", Cookie: "c"},
	} {
		if _, err := Answer(ctx, ns, r, Options{}); err == nil {
			t.Errorf("Answer(%+v) dialled", r)
		}
	}
	ns.Logout(ctx)
	d.Check(t)
}

func TestSwitchboardAnswerRejected(t *testing.T) {
	d := msntest.NewDialer()
	ns := signIn(t, d, bob, "C: OUT\nS: OUT\nclose\n", nil)
	d.Add(sbAddr, msntest.Inline(t, "C: ANS $1 bob@example.com expired 42\nS: 911 $1\nC: OUT\nC: EOF\n"))
	ctx := msntest.Context(t)
	_, err := Answer(ctx, ns, &proto.Ring{SessionID: "42", Addr: sbAddr, Cookie: "expired", From: "alice@example.com"}, Options{})
	if !errors.Is(err, proto.ErrAuthFailed) {
		t.Errorf("err = %v, want ErrAuthFailed", err)
	}
	ns.Logout(ctx)
	d.Check(t)
}

// The missing ACK is waited for in a bubble's time, for less than the
// script's own step timeout.
func TestSwitchboardAckTimeout(t *testing.T) {
	synctest.Test(t, testSwitchboardAckTimeout)
}

func testSwitchboardAckTimeout(t *testing.T) {
	sb, _, done := startSwitchboardWith(t, `
C: MSG $3 A 118
| MIME-Version: 1.0
| Content-Type: text/plain; charset=UTF-8
| X-MMS-IM-Format: FN=Arial; EF=; CO=0; CS=0; PF=22
|
| hello
C: OUT
S: OUT
close
`, true, Options{AckWait: time.Second})
	if err := sb.SendText(msntest.Context(t), "hello", nil); !errors.Is(err, ErrUnconfirmed) {
		t.Errorf("err = %v, want ErrUnconfirmed", err)
	}
	ctx, cancel := context.WithCancel(msntest.Context(t))
	cancel()
	if err := sb.Send(ctx, TextMessage("x", nil), AckNone); !errors.Is(err, context.Canceled) {
		t.Errorf("Send with a cancelled context: %v", err)
	}
	done()
}

func TestSwitchboardSendChecks(t *testing.T) {
	sb, _, done := startSwitchboard(t, "C: OUT\nS: OUT\nclose\n", true)
	ctx := msntest.Context(t)
	for name, m := range map[string]*proto.Message{
		"nil":          nil,
		"CR in value":  {Headers: []proto.Header{{Name: "Content-Type", Value: "text/plain\r\nX: y"}}},
		"colon name":   {Headers: []proto.Header{{Name: "A:B", Value: "c"}}},
		"empty name":   {Headers: []proto.Header{{Name: "", Value: "c"}}},
		"too long":     TextMessage(strings.Repeat("x", MaxMessageSize), nil),
		"bad ack mode": TextMessage("x", nil),
	} {
		mode := AckFull
		if name == "bad ack mode" {
			mode = "D"
		}
		if err := sb.Send(ctx, m, mode); err == nil {
			t.Errorf("%s: sent", name)
		}
	}
	if err := sb.Send(ctx, TextMessage(strings.Repeat("x", MaxMessageSize), nil), AckFull); !errors.Is(err, ErrMessageTooLong) {
		t.Errorf("too long: %v", err)
	}
	if err := sb.SendText(ctx, "", nil); !errors.Is(err, proto.ErrInvalidArgument) {
		t.Errorf("empty text: %v", err)
	}
	if err := sb.SendText(ctx, "x", &TextFormat{Font: strings.Repeat("f", 200)}); !errors.Is(err, proto.ErrInvalidArgument) {
		t.Errorf("long font: %v", err)
	}
	done()
}

func TestSwitchboardWithStatus(t *testing.T) {
	t.Run("MSNP7", func(t *testing.T) {
		// MSNP7's CHG has no capabilities field (transcripts/04).
		d := msntest.NewDialer()
		ns := signIn(t, d, bob7, `
C: CHG $5 BSY
C: XFR $6 SB
S: CHG $5 BSY 0
S: XFR $6 SB 10.0.0.3:1864 CKI c00kie
C: OUT
S: OUT
close
`, nil)
		d.Add(sbAddr, msntest.Inline(t, "C: USR $1 bob@example.com c00kie\nS: USR $1 OK bob@example.com Bob\nC: OUT\nS: OUT\nclose\n"))
		ctx := msntest.Context(t)
		sb, err := OpenWithStatus(ctx, ns, proto.StatusBusy, Options{})
		if err != nil {
			t.Fatal(err)
		}
		sb.Leave(ctx)
		ns.Logout(ctx)
		d.Check(t)
	})
	t.Run("CHG refused", func(t *testing.T) {
		d := msntest.NewDialer()
		ns := signIn(t, d, alice, `
C: CHG $5 HDN 0
C: XFR $6 SB
S: CHG $5 HDN 0
S: 913 $6
C: OUT
S: OUT
close
`, nil)
		ctx := msntest.Context(t)
		if _, err := OpenWithStatus(ctx, ns, proto.StatusHidden, Options{}); !errors.Is(err, proto.ErrNotAllowed) {
			t.Errorf("err = %v, want ErrNotAllowed (913: hidden)", err)
		}
		if _, err := OpenWithStatus(ctx, ns, "XYZ", Options{}); !errors.Is(err, proto.ErrInvalidArgument) {
			t.Errorf("unknown status: err = %v", err)
		}
		ns.Logout(ctx)
		d.Check(t)
	})
}
