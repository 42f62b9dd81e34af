package switchboard

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"msn/proto"
	"msn/proto/msntest"
	"msn/proto/passport"
	"msn/proto/secret"
)

// sbAddr is where the scripted notification servers send switchboards.
const sbAddr = "10.0.0.3:1864"

// nsLogins are the notification-server sides of a sign-in, per protocol:
// MSNP8 with a cached ticket (no Passport round trip), MSNP7 with MD5.
// EMAIL and NAME are replaced by the account.
var nsLogins = map[proto.Protocol]string{
	proto.MSNP8: `
C: VER $1 MSNP8 CVR0
S: VER $1 MSNP8
C: CVR $2 0x0409 win 4.10 i386 MSNMSGR 5.0.0544 MSMSGS EMAIL
S: CVR $2 5.0.0544 5.0.0544 5.0.0544 https://x https://x
C: USR $3 TWN I EMAIL
S: USR $3 TWN S ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1
C: USR $4 TWN S 0fake1ticket2value3
S: USR $4 OK EMAIL NAME 1 0
`,
	proto.MSNP7: `
C: VER $1 MSNP7 CVR0
S: VER $1 MSNP7
C: CVR $2 0x0409 win 4.10 i386 MSNMSGR 4.7.2009 MSMSGS EMAIL
S: CVR $2 4.7.2009 4.7.2009 4.7.2009 https://x https://x
C: USR $3 MD5 I EMAIL
S: USR $3 MD5 S eeac57e74d0a4b7
C: USR $4 MD5 S *
S: USR $4 OK EMAIL NAME
`,
}

// account is a signed-in test account.
type account struct {
	Email, Name string
	Protocol    proto.Protocol
}

var (
	alice = account{"alice@example.com", "Alice", proto.MSNP8}
	bob   = account{"bob@example.com", "Bob", proto.MSNP8}
	bob7  = account{"bob@example.com", "Bob", proto.MSNP7}
)

// signIn signs acct in on a scripted notification server whose script is
// the sign-in followed by rest (the next TrID is $5). rest is a file in
// testdata when it ends in ".txt", else the script text. The caller logs
// out and checks the scripts.
func signIn(t *testing.T, d *msntest.Dialer, acct account, rest string, handler func(proto.Event)) *proto.Notification {
	t.Helper()
	return signInAt(t, d, nsAddr, acct, rest, handler)
}

// signInAt is signIn with the notification server at server.
func signInAt(t *testing.T, d *msntest.Dialer, server string, acct account, rest string, handler func(proto.Event)) *proto.Notification {
	t.Helper()
	rest = readScript(t, rest)
	login := strings.NewReplacer("EMAIL", acct.Email, "NAME", acct.Name).Replace(nsLogins[acct.Protocol])
	d.Add(server, msntest.Inline(t, login+rest))
	res, err := proto.Login(msntest.Context(t), proto.LoginConfig{
		Server: server, Email: acct.Email, Protocol: acct.Protocol,
		Ticket: secret.New("0fake1ticket2value3"), Password: msntest.Password("pw"),
		Passport: passport.New("https://127.0.0.1:1/rdr/pprdr.asp", nil),
		Options:  proto.Options{Dial: d.Dial, Handler: handler},
	})
	if err != nil {
		t.Fatal(err)
	}
	return res.NS
}

// readScript returns the text of a script in testdata when name ends in
// ".txt", else name itself.
func readScript(t *testing.T, name string) string {
	t.Helper()
	if !strings.HasSuffix(name, ".txt") {
		return name
	}
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// recorder collects events from a handler, safe for the reader goroutine.
type recorder struct {
	mu     sync.Mutex
	events []Event
	notify chan struct{}
}

func newRecorder() *recorder { return &recorder{notify: make(chan struct{}, 1)} }

func (r *recorder) add(e Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
	select {
	case r.notify <- struct{}{}:
	default:
	}
}

// all returns the events so far.
func (r *recorder) all() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

// waitFor waits until an event satisfies ok, and returns it.
func (r *recorder) waitFor(t *testing.T, what string, ok func(Event) bool) Event {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		for _, e := range r.all() {
			if ok(e) {
				return e
			}
		}
		select {
		case <-r.notify:
		case <-deadline:
			t.Fatalf("no %s event; got %v", what, r.all())
		}
	}
}

// ofType returns the recorded events of type T.
func ofType[T Event](r *recorder) []T {
	var out []T
	for _, e := range r.all() {
		if v, ok := e.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

// startSwitchboard signs alice in, opens a switchboard whose script is
// sbScript (a testdata file or script text) after USR $1 with cookie
// "c00kie", and invites bob when
// inviteBob is set (CAL $2, RINGING, JOI). The returned cleanup leaves,
// logs out and checks the scripts.
func startSwitchboard(t *testing.T, sbScript string, inviteBob bool) (*Switchboard, *recorder, func()) {
	t.Helper()
	return startSwitchboardWith(t, sbScript, inviteBob, Options{})
}

// startSwitchboardWith is startSwitchboard with options; the recorder
// replaces opts.Handler.
func startSwitchboardWith(t *testing.T, sbScript string, inviteBob bool, opts Options) (*Switchboard, *recorder, func()) {
	t.Helper()
	sbScript = readScript(t, sbScript)
	d := msntest.NewDialer()
	ns := signIn(t, d, alice, "C: XFR $5 SB\nS: XFR $5 SB "+sbAddr+" CKI c00kie\nC: OUT\nS: OUT\nclose\n", nil)
	head := "C: USR $1 alice@example.com c00kie\nS: USR $1 OK alice@example.com Alice\n"
	if inviteBob {
		head += "C: CAL $2 bob@example.com\nS: CAL $2 RINGING 11752013\nS: JOI bob@example.com Bob\n"
	}
	d.Add(sbAddr, msntest.Inline(t, head+sbScript))
	rec := newRecorder()
	ctx := msntest.Context(t)
	opts.Handler = rec.add
	sb, err := Open(ctx, ns, opts)
	if err != nil {
		t.Fatal(err)
	}
	if inviteBob {
		if err := sb.Invite(ctx, "bob@example.com"); err != nil {
			t.Fatal(err)
		}
	}
	return sb, rec, func() {
		t.Helper()
		sb.Leave(ctx)
		ns.Logout(ctx)
		d.Check(t)
	}
}

// answerSwitchboard signs acct in on a notification server that rings
// once (answer_ns.txt), answers the ring on a switchboard that plays
// sbScript, and returns the connections, the switchboard's event
// recorder and the dialer whose scripts the caller checks.
func answerSwitchboard(t *testing.T, acct account, sbScript string) (*proto.Notification, *Switchboard, *recorder, *msntest.Dialer) {
	t.Helper()
	d := msntest.NewDialer()
	rings := make(chan *proto.Ring, 1)
	ns := signIn(t, d, acct, "answer_ns.txt", func(e proto.Event) {
		if r, ok := e.(*proto.Ring); ok {
			rings <- r
		}
	})
	d.Add(sbAddr, msntest.TestdataScript(t, sbScript))
	rec := newRecorder()
	sb, err := Answer(msntest.Context(t), ns, <-rings, Options{Handler: rec.add})
	if err != nil {
		t.Fatal(err)
	}
	return ns, sb, rec, d
}

// newDialerWithAnswer returns a Dialer whose switchboard plays sbScript.
func newDialerWithAnswer(t *testing.T, sbScript string) *msntest.Dialer {
	t.Helper()
	d := msntest.NewDialer()
	d.Add(sbAddr, msntest.Inline(t, sbScript))
	return d
}
