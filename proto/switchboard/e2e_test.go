package switchboard

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"testing"

	"msn/proto"
	"msn/proto/msntest"
	"msn/proto/passport"
	"msn/proto/server"
)

// sbSignIn signs an account in on the local server and makes it visible.
func sbSignIn(t *testing.T, srv *server.Server, email, pw string, p proto.Protocol, handler func(proto.Event)) *proto.Notification {
	t.Helper()
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(srv.CACertPEM())
	pp := passport.New(srv.NexusURL(), roots)
	t.Cleanup(pp.CloseIdle)
	ctx := msntest.Context(t)
	res, err := proto.Login(ctx, proto.LoginConfig{Server: srv.NSAddr(), Email: email, Protocol: p,
		Password: msntest.Password(pw), Passport: pp, Options: proto.Options{Handler: handler}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.NS.Close() })
	if err := res.NS.SetStatus(ctx, proto.StatusOnline); err != nil {
		t.Fatal(err)
	}
	return res.NS
}

func TestSwitchboardAgainstLocalServer(t *testing.T) {
	// An MSNP8 and an MSNP7 user in one conversation (transcripts/04),
	// through proto/server.
	srv, err := server.New(server.Config{Accounts: server.DemoAccounts(), Policy: server.Reusable})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx := msntest.Context(t)
	rings := make(chan *proto.Ring, 1)
	bobNS := sbSignIn(t, srv, "bob@example.com", "bobpass", proto.MSNP7, func(e proto.Event) {
		if r, ok := e.(*proto.Ring); ok {
			select {
			case rings <- r:
			default:
			}
		}
	})
	aliceNS := sbSignIn(t, srv, "alice@example.com", "alicepass", proto.MSNP8, nil)

	aliceLog, bobLog := newRecorder(), newRecorder()
	alice, err := OpenWithStatus(ctx, aliceNS, proto.StatusOnline, Options{Handler: aliceLog.add})
	if err != nil {
		t.Fatal(err)
	}
	defer alice.Close()
	invited := make(chan error, 1)
	go func() { invited <- alice.Invite(ctx, "bob@example.com") }()
	var ring *proto.Ring
	select {
	case ring = <-rings:
	case <-ctx.Done():
		t.Fatal("no ring")
	}
	bob, err := Answer(ctx, bobNS, ring, Options{Handler: bobLog.add})
	if err != nil {
		t.Fatal(err)
	}
	defer bob.Close()
	if err := <-invited; err != nil {
		t.Fatal(err)
	}
	if p := bob.Participants(); len(p) != 1 || p[0].Email != "alice@example.com" {
		t.Fatalf("bob sees %v", p)
	}

	long := strings.Repeat("Lorem ipsum dolor sit amet, é✓😀. ", 150)
	if err := alice.SendText(ctx, long, &TextFormat{Font: "Comic Sans MS", Effects: "B", Color: 0xff}); err != nil {
		t.Fatal(err)
	}
	s := alice.NewSender(8, nil)
	for i := 0; i < 200; i++ {
		if err := s.Send(ctx, fmt.Sprint("line ", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Flush(ctx); err != nil || s.Confirmed() != 200 {
		t.Fatalf("flush: %v, %d confirmed", err, s.Confirmed())
	}
	if err := bob.SendTyping(ctx); err != nil {
		t.Fatal(err)
	}
	if err := bob.SendText(ctx, "Hi Alice!", nil); err != nil {
		t.Fatal(err)
	}
	aliceLog.waitFor(t, "bob's text", func(e Event) bool { m, ok := e.(*IncomingMessage); return ok && m.Text == "Hi Alice!" })
	bobLog.waitFor(t, "last line", func(e Event) bool { m, ok := e.(*IncomingMessage); return ok && m.Text == "line 199" })

	var texts []string
	for _, m := range ofType[*IncomingMessage](bobLog) {
		texts = append(texts, m.Text)
		if m.Format == nil || m.From != "alice@example.com" {
			t.Fatalf("message %+v", m)
		}
	}
	if got := strings.Join(texts[:len(texts)-200], ""); got != long {
		t.Errorf("long text arrived as %d parts that do not join to the text", len(texts)-200)
	}
	for i, text := range texts[len(texts)-200:] {
		if text != fmt.Sprint("line ", i) {
			t.Fatalf("line %d arrived as %q", i, text)
		}
	}
	if len(ofType[*Typing](aliceLog)) != 1 {
		t.Errorf("alice saw no typing notification: %v", aliceLog.all())
	}

	if err := bob.Leave(ctx); err != nil {
		t.Fatal(err)
	}
	aliceLog.waitFor(t, "bob left", func(e Event) bool { l, ok := e.(*Left); return ok && l.Email == "bob@example.com" })
	if err := alice.SendText(ctx, "anyone?", nil); !errors.Is(err, ErrNoParticipants) {
		t.Errorf("send after bob left: %v", err)
	}
	alice.Leave(context.Background())
}
