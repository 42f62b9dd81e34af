package proto

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"msn/proto/internal/engine"
	"msn/proto/msntest"
)

// msnp7Prelude signs bob in with MSNP7 so a test can go on from USR OK.
const msnp7Prelude = `
C: VER $1 MSNP7 CVR0
S: VER $1 MSNP7
C: CVR $2 0x0409 win 4.10 i386 MSNMSGR 4.7.2009 MSMSGS bob@example.com
S: CVR $2 4.7.2009 4.7.2009 4.7.2009 x x
C: USR $3 MD5 I bob@example.com
S: USR $3 MD5 S eeac57e74d0a4b7
C: USR $4 MD5 S f5ccddc790a1d503b89acc8bfc28c3aa
S: USR $4 OK bob@example.com Bob
`

// eventLog collects events from a handler.
type eventLog struct {
	mu     sync.Mutex
	events []Event
}

func (l *eventLog) handle(e Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
}

func (l *eventLog) all() []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Event(nil), l.events...)
}

// nsFromScript logs in over a script whose lines after USR OK are rest.
func nsFromScript(t *testing.T, rest string, opts Options) (*Notification, *msntest.Dialer) {
	t.Helper()
	d := msntest.NewDialer()
	d.Add(nsAddr, msntest.Inline(t, msnp7Prelude+rest))
	opts.Dial = d.Dial
	res, err := Login(msntest.Context(t), LoginConfig{Server: nsAddr, Email: "bob@example.com", Protocol: MSNP7,
		Password: msntest.Password("bobpass"), Options: opts})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.NS.Close() })
	return res.NS, d
}

func TestChallengeAnswered(t *testing.T) {
	var debug msntest.SyncBuffer
	n, d := nsFromScript(t, `
S: CHL 0 15570131571988941333
C: QRY $5 msmsgs@msnmsgr.com 32
| 8f2f5a91b72102cd28355e9fc9000d6e
S: QRY $5
C: OUT
close
`, Options{Debug: &debug})
	// The answer is written by the reader goroutine; wait until it is on
	// the wire before saying goodbye, so the script sees them in order.
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(debug.String(), "C: QRY") {
		if time.Now().After(deadline) {
			t.Fatal("no QRY sent")
		}
		time.Sleep(5 * time.Millisecond)
	}
	n.Logout(msntest.Context(t))
	d.Check(t)
}

func TestChallengeVectors(t *testing.T) {
	for ch, want := range map[string]string{
		"15570131571988941333": "8f2f5a91b72102cd28355e9fc9000d6e",
		"11111111111111111111": "3b6666b60157322b6fc6e41a115968f5",
		"29409134351025259292": "d0c1178c689350104350d99f8c36ed9c",
	} {
		if got := ChallengeResponse(ch); got != want {
			t.Errorf("ChallengeResponse(%s) = %s, want %s", ch, got, want)
		}
	}
	if got := md5Response("1234567890.123456789", "password"); got != "f59af8f2fa91d38aff7c870c17f99903" {
		t.Errorf("md5Response = %s", got)
	}
}

func TestSignedInElsewhere(t *testing.T) {
	var log eventLog
	n, d := nsFromScript(t, `
S: OUT OTH
C: EOF
`, Options{Handler: log.handle})
	<-n.Done()
	if !errors.Is(n.Err(), ErrSignedInElsewhere) {
		t.Fatalf("Err = %v", n.Err())
	}
	if err := n.Ping(msntest.Context(t)); !errors.Is(err, ErrSignedInElsewhere) {
		t.Fatalf("call after OUT OTH: %v", err)
	}
	evs := log.all()
	if len(evs) != 1 || evs[0].(*LoggedOut).Reason != "OTH" {
		t.Fatalf("events = %#v", evs)
	}
	d.Check(t)
}

func TestServerShutdown(t *testing.T) {
	n, d := nsFromScript(t, "S: OUT SSD\nC: EOF\n", Options{})
	<-n.Done()
	if !errors.Is(n.Err(), ErrServerShutdown) {
		t.Fatalf("Err = %v", n.Err())
	}
	d.Check(t)
}

func TestEveryWaiterFailsWithTheSameError(t *testing.T) {
	n, d := nsFromScript(t, `
C: REA $5 bob@example.com Bobby
C: PNG
S: 999 $5
C: SYN $6 0
close
`, Options{})
	ctx := msntest.Context(t)
	rea := n.c.Go(ctx, &Command{Verb: "REA", Args: []string{"bob@example.com", "Bobby"}})
	pong := n.c.Expect(keyPong)
	if err := n.c.Send(ctx, &Command{Verb: "PNG"}); err != nil {
		t.Fatal(err)
	}
	if _, err := rea.Wait(ctx); !errors.As(err, new(*ServerError)) || err.(*ServerError).Code != 999 {
		t.Fatalf("REA: %v, want server error 999", err)
	}
	syn := n.c.Go(ctx, &Command{Verb: "SYN", Args: []string{"0"}})
	_, err1 := syn.Wait(ctx)
	_, err2 := pong.Wait(ctx)
	if err1 == nil || err1 != err2 || err1 != n.Err() {
		t.Fatalf("errors differ: %v / %v / %v", err1, err2, n.Err())
	}
	d.Check(t)
}

func TestDuplicateReplyIgnored(t *testing.T) {
	var log eventLog
	n, d := nsFromScript(t, `
C: CHG $5 NLN
S: CHG $5 NLN 0
S: CHG $5 NLN 0
C: PNG
S: QNG
C: OUT
close
`, Options{Handler: log.handle})
	ctx := msntest.Context(t)
	if _, err := n.c.Call(ctx, &Command{Verb: "CHG", Args: []string{"NLN"}}); err != nil {
		t.Fatal(err)
	}
	if err := n.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	n.Logout(ctx)
	if evs := log.all(); len(evs) != 1 {
		t.Errorf("the duplicate reply should surface once as an unknown line, got %#v", evs)
	}
	d.Check(t)
}

func TestWaitHonoursContext(t *testing.T) {
	n, d := nsFromScript(t, `
C: PNG
sleep 300ms
C: EOF
`, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := n.Ping(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	n.Close()
	d.Check(t)
}

func TestKeepAliveFailsSilentServer(t *testing.T) {
	n, d := nsFromScript(t, `
C: PNG
S: QNG
C: PNG
C: EOF
`, Options{KeepAlive: 40 * time.Millisecond, KeepAliveWait: 40 * time.Millisecond})
	select {
	case <-n.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("keep-alive did not notice the silent server")
	}
	if !errors.Is(n.Err(), ErrServerSilent) || errors.Is(n.Err(), ErrProtocol) {
		t.Fatalf("Err = %v, want ErrServerSilent", n.Err())
	}
	d.Check(t)
}

func TestNotificationEvents(t *testing.T) {
	var log eventLog
	n, d := nsFromScript(t, `
S: NLN AWY alice@example.com Alice%20Smith
S: FLN alice@example.com
S: ADD 0 RL 12 carol@example.com Carol
S: REM 0 RL 13 carol@example.com
S: RNG 11752013 10.0.0.3:1863 CKI 849102291.520491113 alice@example.com Alice%20Smith
S: NOT 3
| <x>
S: MSG Hotmail Hotmail *
| MIME-Version: 1.0
| Content-Type: application/x-msmsgssystemmessage
|
| Type: 1
S: ILN 7 NLN
C: PNG
S: QNG
C: OUT
close
`, Options{Handler: log.handle})
	if err := n.Ping(msntest.Context(t)); err != nil {
		t.Fatal(err)
	}
	n.Logout(msntest.Context(t))
	evs := log.all()
	if len(evs) != 8 {
		t.Fatalf("got %d events: %#v", len(evs), evs)
	}
	if p := evs[0].(*Presence); p.Email != "alice@example.com" || p.Name != "Alice Smith" || p.Status != StatusAway || p.Initial {
		t.Errorf("NLN: %+v", p)
	}
	if o := evs[1].(*Offline); o.Email != "alice@example.com" {
		t.Errorf("FLN: %+v", o)
	}
	if r := evs[2].(*ReverseListChange); !r.Added || r.Version != 12 || r.Name != "Carol" {
		t.Errorf("ADD RL: %+v", r)
	}
	if r := evs[3].(*ReverseListChange); r.Added || r.Email != "carol@example.com" {
		t.Errorf("REM RL: %+v", r)
	}
	if r := evs[4].(*Ring); r.SessionID != "11752013" || r.Cookie != "849102291.520491113" || r.FromName != "Alice Smith" {
		t.Errorf("RNG: %+v", r)
	}
	if nt := evs[5].(*Notice); nt.Kind != "NOT" || string(nt.Payload) != "<x>" {
		t.Errorf("NOT: %+v", nt)
	}
	if m := evs[6].(*ServerMessage); m.Message.ContentType() != "application/x-msmsgssystemmessage" {
		t.Errorf("MSG: %+v", m)
	}
	if m, ok := evs[7].(*Malformed); !ok || !errors.Is(m.Err, ErrProtocol) {
		t.Errorf("short ILN: %#v", evs[7])
	}
	d.Check(t)
}

func TestAbandonedWaiterReleasesSharers(t *testing.T) {
	n, d := nsFromScript(t, "C: EOF\n", Options{})
	first := n.c.Expect(keyPong)
	shared := n.c.Expect(keyPong)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := first.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("first wait: %v", err)
	}
	select {
	case <-shared.Done():
		if !errors.Is(shared.Err, engine.ErrAbandoned) {
			t.Fatalf("shared waiter: %v", shared.Err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a shared waiter hangs after its owner gave up")
	}
	n.Close()
	d.Check(t)
}
