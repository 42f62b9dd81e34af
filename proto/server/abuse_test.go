package server_test

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"msn/proto/server"
)

// The server under abuse: while alice and bob hold healthy sessions and a
// conversation, an abusive client sends malformed lines, over-long lines,
// floods and payload-length lies, disconnects half way, or opens many
// connections. Each kind is a test: the abuser is answered with an error
// or disconnected, the server does not crash, and alice and bob still
// exchange a message and a presence change within healthBound.

// healthBound is how long alice and bob may take to exchange a message
// and a presence change after the abuse: milliseconds on loopback.
const healthBound = 2 * time.Second

// pair is alice and bob, online, in one conversation.
type pair struct {
	w              *world
	alice, bob     *client // notification connections
	aliceSB, bobSB *client // the conversation
	round          int
}

func newPair(t *testing.T, w *world) *pair {
	t.Helper()
	p := &pair{w: w, alice: w.online("alice@example.com"), bob: w.online("bob@example.com")}
	p.alice.expect("NLN NLN bob@example.com Bob 0")
	p.bob.expect("ILN 5 NLN alice@example.com Alice 0")
	p.aliceSB = w.open(p.alice, "alice@example.com")
	p.aliceSB.send("CAL 2 bob@example.com")
	m := rngRE.FindStringSubmatch(p.bob.line())
	if m == nil {
		t.Fatal("no RNG")
	}
	p.aliceSB.expect("CAL 2 RINGING " + m[1])
	p.bobSB = w.dial(m[2])
	p.bobSB.send("ANS 1 bob@example.com " + m[3] + " " + m[1])
	p.aliceSB.expect("JOI bob@example.com Bob")
	p.bobSB.exchange([][2]string{{"", "JOI bob@example.com Bob"}, {"", "IRO 1 1 1 alice@example.com Alice"}, {"", "ANS 1 OK"}})
	p.check(t)
	return p
}

// check has bob send alice a message, and alice change her status for
// bob to see, within healthBound.
func (p *pair) check(t *testing.T) {
	t.Helper()
	start := time.Now()
	p.round++
	text := fmt.Sprintf("round %d", p.round)
	p.bobSB.write(fmt.Sprintf("MSG %d A %d\r\n%s", 10+p.round, len(text), text))
	p.aliceSB.expect(fmt.Sprintf("MSG bob@example.com Bob %d", len(text)))
	if got := p.aliceSB.payload(len(text)); got != text {
		t.Fatalf("alice got %q, want %q", got, text)
	}
	p.bobSB.expect(fmt.Sprintf("ACK %d", 10+p.round))
	status := [...]string{"BSY", "NLN"}[p.round%2]
	p.alice.send(fmt.Sprintf("CHG %d %s 0", 10+p.round, status))
	p.alice.expect(fmt.Sprintf("CHG %d %s 0", 10+p.round, status))
	p.bob.expect(fmt.Sprintf("NLN %s alice@example.com Alice 0", status))
	if d := time.Since(start); d > healthBound {
		t.Errorf("alice and bob took %v to exchange a message and a status", d)
	}
}

// abuseWorld is a world with a dispatch server, alice and bob in a
// conversation, and carol and dave, who abuse it.
func abuseWorld(t *testing.T) (*world, *pair) {
	t.Helper()
	return abuseWorldWith(t, nil)
}

// abuseWorldWith is abuseWorld with prep run on the server first.
func abuseWorldWith(t *testing.T, prep func(*server.Server)) (*world, *pair) {
	t.Helper()
	accts := append(server.DemoAccounts(), server.Account{Email: "dave@example.com", Password: "davepass"})
	w := newWorldWith(t, server.Config{Dispatch: true, Accounts: accts}, prep)
	return w, newPair(t, w)
}

// rawDial connects without the harness's failing writes: an abuser's
// writes may fail once the server has hung up.
func rawDial(t *testing.T, addr string) net.Conn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, stepTimeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	return nc
}

// probe is a request every connection of a kind answers, and its
// answer: a ping, or on a switchboard (which has none) a message that
// asks for an acknowledgement.
type probe struct{ ask, answer string }

var (
	pingProbe = probe{"PNG\r\n", "QNG"}
	ackProbe  = probe{"MSG 99 A 1\r\nx", "ACK 99"}
)

// probeFor returns the probe of the server at addr.
func (w *world) probeFor(addr string) probe {
	if addr == w.srv.SBAddr() {
		return ackProbe
	}
	return pingProbe
}

// answeredOrClosed checks that after the abuse the server either closed
// the connection or still answers the probe, skipping error replies. A
// line that is neither is a failure: the server acted on the abuse.
func answeredOrClosed(t *testing.T, c *client, pr probe, abuse string) {
	t.Helper()
	c.nc.SetWriteDeadline(time.Now().Add(stepTimeout))
	if _, err := c.nc.Write([]byte(pr.ask)); err != nil {
		return // already closed
	}
	for i := 0; i < 4; i++ {
		l, err := c.read()
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatalf("%q: the server neither answered nor closed", abuse)
			}
			return
		}
		if l == pr.answer {
			return
		}
		if l == "OUT" {
			c.expectClosed() // the goodbye it asked for
			return
		}
		if f := strings.Fields(l); len(f) == 0 || len(f[0]) != 3 || f[0][0] < '0' || f[0][0] > '9' {
			t.Fatalf("%q: the server answered %q", abuse, l)
		}
	}
	t.Fatalf("%q: no answer to the probe", abuse)
}

// carolSB signs carol in and opens a conversation of her own: an
// authenticated abuser.
func carolSB(t *testing.T, w *world) (*client, *client) {
	t.Helper()
	return abuserSB(t, w, "carol@example.com")
}

// abuserSB signs email in and opens a conversation of its own.
func abuserSB(t *testing.T, w *world, email string) (*client, *client) {
	t.Helper()
	ns := w.online(email)
	return ns, w.open(ns, email)
}

func TestAbuseMalformedLines(t *testing.T) {
	w, p := abuseWorld(t)
	lines := []string{
		"\x00\x01\x02", "VER", "VER abc MSNP8", "ver 1 MSNP8", "VER 99999999999999999999999 MSNP8",
		"VER -1 MSNP8", "\xff\xfe\xc3\x28 1 x", "CVR", "USR", "USR 1", "USR 1 TWN", "USR 1 TWN S",
		"USR 1 MD5 S deadbeef", "CHG 1 NLN 0", "XFR 1 SB", "SYN 1 0", "ANS 1 a b c", "CAL 1 bob@example.com",
		"MSG 1 N", "MSG", "OUT OUT OUT", "PNG PNG", "INF 1", "QRY 1", "BYE", "JOI a b", "\t\t", "VER\x001\x00MSNP8",
		"999 1", strings.Repeat("X ", 4000),
	}
	for _, addr := range []string{w.srv.NSAddr(), w.srv.SBAddr(), w.srv.DSAddr()} {
		for _, l := range lines {
			c := w.dial(addr)
			c.nc.SetWriteDeadline(time.Now().Add(stepTimeout))
			c.nc.Write([]byte(l + "\r\n"))
			answeredOrClosed(t, c, w.probeFor(addr), l)
			c.nc.Close()
		}
		if addr == w.srv.SBAddr() {
			continue // a switchboard knows no VER
		}
		// The same after a successful VER.
		for _, l := range lines {
			c := w.dial(addr)
			c.send("VER 1 MSNP8 CVR0")
			c.expect("VER 1 MSNP8")
			c.nc.Write([]byte(l + "\r\n"))
			answeredOrClosed(t, c, w.probeFor(addr), "after VER: "+l)
			c.nc.Close()
		}
	}
	// Signed in, carol sends garbage on each of her connections.
	for _, l := range []string{"CHG 9 XYZ 0", "ADD 9 ZZ a b", "REM 9", "XFR 9 NS", "PRP 9", "BLP 9 XX",
		"USR 9 TWN I carol@example.com", "ADD 9 FL " + strings.Repeat("a", 300) + "@x.com x", "REA 9 carol@example.com %ZZ"} {
		ns, _ := carolSB(t, w)
		ns.send(l)
		answeredOrClosed(t, ns, pingProbe, l)
	}
	for _, l := range []string{"CAL 9", "CAL 9 nobody", "CAL 9 " + strings.Repeat("a", 300) + "@x.com", "USR 9 a b", "ANS 9 a b c"} {
		_, sb := carolSB(t, w)
		sb.send(l)
		answeredOrClosed(t, sb, ackProbe, l)
	}
	p.check(t)
}

func TestAbuseOverlongLines(t *testing.T) {
	w, p := abuseWorld(t)
	huge := strings.Repeat("A", 1<<20)
	for _, addr := range []string{w.srv.NSAddr(), w.srv.SBAddr(), w.srv.DSAddr()} {
		for _, prefix := range []string{"", "VER 1 MSNP8 ", "USR 1 TWN I "} {
			c := w.dial(addr)
			start := time.Now()
			c.nc.SetWriteDeadline(time.Now().Add(stepTimeout))
			c.nc.Write([]byte(prefix + huge)) // fails once the server hangs up
			c.expectClosed()
			if d := time.Since(start); d > stepTimeout {
				t.Errorf("%s: an over-long line took %v to be refused", addr, d)
			}
		}
	}
	// Just over the cap, with its CRLF: still refused.
	c := w.dial(w.srv.NSAddr())
	c.write("VER 1 " + strings.Repeat("x", 16<<10) + "\r\n")
	c.expectClosed()
	p.check(t)
}

func TestAbusePayloadLengthLies(t *testing.T) {
	w, p := abuseWorld(t)
	for _, l := range []string{
		"QRY 1 msmsgs@msnmsgr.com 99999999", "QRY 1 msmsgs@msnmsgr.com -1", "QRY 1 msmsgs@msnmsgr.com abc",
		"QRY 1 msmsgs@msnmsgr.com 33", "MSG 1 N 5",
	} {
		c := w.dial(w.srv.NSAddr())
		c.send("VER 1 MSNP8 CVR0")
		c.expect("VER 1 MSNP8")
		c.write(l + "\r\n0123456789")
		c.expectClosed()
	}
	for _, l := range []string{"MSG 2 N 1000000", "MSG 2 N -1", "MSG 2 N abc", "MSG 2 N 1665", "MSG 2 Z 3", "MSG 2 N 3 3"} {
		_, sb := carolSB(t, w)
		sb.write(l + "\r\nabc")
		sb.expectClosed()
	}
	// A length that covers the next command swallows it as payload: the
	// server relays those bytes as the body and goes on in step.
	ns, sb := carolSB(t, w)
	sb.write("MSG 2 A 11\r\nMSG 3 A 0\r\n")
	sb.expect("ACK 2")
	answeredOrClosed(t, sb, ackProbe, "payload that covers a command")
	ns.send("PNG")
	ns.expect("QNG")
	p.check(t)
}

func TestAbuseFloods(t *testing.T) {
	w, p := abuseWorld(t)
	// Thousands of commands in one write, never read: the server answers
	// or drops the abuser, and nobody else notices.
	c := rawDial(t, w.srv.NSAddr())
	c.SetWriteDeadline(time.Now().Add(stepTimeout))
	c.Write([]byte(strings.Repeat("PNG\r\n", 20000)))
	p.check(t)
	c.Close()

	// Signed in: status changes nobody watches, and messages into her own
	// conversation, thousands each, unread.
	ns, sb := carolSB(t, w)
	var b strings.Builder
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, "CHG %d %s 0\r\n", 100+i, [...]string{"BSY", "NLN"}[i%2])
	}
	ns.nc.SetWriteDeadline(time.Now().Add(stepTimeout))
	ns.nc.Write([]byte(b.String()))
	b.Reset()
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, "MSG %d A 1\r\nx", 100+i)
	}
	sb.nc.SetWriteDeadline(time.Now().Add(stepTimeout))
	sb.nc.Write([]byte(b.String()))
	p.check(t)

	// Switchboard requests, each of which hands out a cookie: a few are
	// granted, the rest refused (800) or the abuser dropped, quickly.
	ns2, _ := carolSB(t, w)
	granted, refused, closed := flood(t, ns2, 20000, func(i int) string { return fmt.Sprintf("XFR %d SB", 100+i) })
	t.Logf("XFR flood: %d granted, %d refused, dropped %v", granted, refused, closed)
	if granted > cookieCap {
		t.Errorf("%d switchboards granted at once, want at most %d", granted, cookieCap)
	}
	p.check(t)

	// Invitations to alice: she hears at most a few rings.
	ns3, sb3 := abuserSB(t, w, "dave@example.com")
	ns3.send("ADD 9 FL alice@example.com alice")
	ns3.expectPrefix("ADD 9 FL ")
	granted, refused, closed = flood(t, sb3, 5000, func(i int) string { return fmt.Sprintf("CAL %d alice@example.com", 100+i) })
	t.Logf("CAL flood: %d granted, %d refused, dropped %v", granted, refused, closed)
	p.alice.send("PNG")
	rings := 0
	for {
		l := p.alice.line()
		if l == "QNG" {
			break
		}
		if !strings.HasPrefix(l, "RNG ") && !strings.HasPrefix(l, "ADD 0 RL ") {
			t.Fatalf("alice got %q", l)
		}
		if strings.HasPrefix(l, "RNG ") {
			rings++
		}
	}
	if rings > cookieCap {
		t.Errorf("alice got %d rings from one caller, want at most %d", rings, cookieCap)
	}
	p.check(t)
}

// cookieCap is how many switchboard cookies one user's requests may hold
// at a time on the server.
const cookieCap = 256

// flood writes n lines made by line on c in one go while reading the
// answers, and returns how many were granted (a reply with the verb),
// refused (an error code), and whether the server dropped c. It fails
// the test when the flood is not over within a few steps.
func flood(t *testing.T, c *client, n int, line func(int) string) (granted, refused int, closed bool) {
	t.Helper()
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(line(i) + "\r\n")
	}
	verb := line(0)[:3]
	type result struct {
		granted, refused int
		closed           bool
	}
	out := make(chan result, 1)
	go func() {
		var r result
		defer func() { out <- r }()
		for r.granted+r.refused < n {
			l, err := c.read()
			if err != nil {
				r.closed = true
				return
			}
			switch {
			case strings.HasPrefix(l, verb+" "):
				r.granted++
			case len(l) > 3 && l[3] == ' ' && l[0] >= '0' && l[0] <= '9':
				r.refused++
			}
		}
	}()
	start := time.Now()
	c.nc.SetWriteDeadline(time.Now().Add(5 * stepTimeout))
	c.nc.Write([]byte(b.String())) // fails if the server drops c
	r := <-out
	if d := time.Since(start); d > 2*stepTimeout {
		t.Errorf("a flood of %d %s took %v", n, verb, d)
	}
	return r.granted, r.refused, r.closed
}

func TestAbuseHalfOpenDisconnects(t *testing.T) {
	w, p := abuseWorld(t)
	tk, _ := w.login("carol@example.com", "carolpass")
	for _, s := range []string{
		"VER 1 MSNP8 CVR0\r\n",
		"VER 1 MSNP8 CVR0\r\nCVR 2 0x0409 win 4.10 i386 MSNMSGR 5.0.0544 MSMSGS carol@example.com\r\n",
		"VER 1 MSNP8 CVR0\r\nUSR 2 TWN I carol@example.com\r\n",
		"VER 1 MSNP8 CVR0\r\nUSR 2 TWN I carol@example.com\r\nUSR 3 TWN S " + tk[:len(tk)/2],
		"VER 1 MSNP8 CVR0\r\nQRY 2 msmsgs@msnmsgr.com 32\r\n0123456789",
		"USR 3 TW",
		strings.Repeat("PNG\r\n", 500),
	} {
		// Hang up at once, or half-close and keep reading.
		for _, half := range []bool{false, true} {
			nc := rawDial(t, w.srv.NSAddr())
			nc.SetWriteDeadline(time.Now().Add(stepTimeout))
			nc.Write([]byte(s))
			if half {
				nc.(*net.TCPConn).CloseWrite()
				nc.SetReadDeadline(time.Now().Add(stepTimeout))
				buf := make([]byte, 4096)
				for {
					if _, err := nc.Read(buf); err != nil {
						if ne, ok := err.(net.Error); ok && ne.Timeout() {
							t.Errorf("%q: the server kept a half-closed connection", s)
						}
						break
					}
				}
			}
			nc.Close()
		}
	}
	// Mid-payload on a switchboard, and mid-sign-in with the ticket taken.
	_, sb := carolSB(t, w)
	sb.write("MSG 2 A 100\r\nonly part")
	sb.nc.Close()
	c := w.presentTicket("carol@example.com", w.ticket(t, "carol@example.com", "carolpass"))
	c.nc.Close()
	p.check(t)
	// carol can sign in again: her abandoned sessions left nothing behind.
	ns := w.online("carol@example.com")
	ns.send("PNG")
	ns.expect("QNG")
	p.check(t)
}

// ticket asks Passport for a ticket, failing the test on a refusal.
func (w *world) ticket(t *testing.T, email, pwd string) string {
	t.Helper()
	tk, code := w.login(email, pwd)
	if code != 200 {
		t.Fatalf("passport: %d", code)
	}
	return tk
}

func TestAbuseManyConnections(t *testing.T) {
	w, p := abuseWorld(t)
	const per = 150
	var mu sync.Mutex
	var conns []net.Conn
	var wg sync.WaitGroup
	for _, addr := range []string{w.srv.NSAddr(), w.srv.SBAddr(), w.srv.DSAddr()} {
		for i := 0; i < per; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				nc, err := net.DialTimeout("tcp", addr, stepTimeout)
				if err != nil {
					t.Error(err)
					return
				}
				nc.SetWriteDeadline(time.Now().Add(stepTimeout))
				nc.Write([]byte("VER 1 MSNP8")) // a line never finished
				mu.Lock()
				conns = append(conns, nc)
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	p.check(t)
	for _, nc := range conns {
		nc.Close()
	}
	p.check(t)
	// The server still takes new sign-ins.
	ns := w.online("carol@example.com")
	ns.send("PNG")
	ns.expect("QNG")
}

func TestAbuseIdleStrangers(t *testing.T) {
	// Connections that never sign in are closed after the sign-in
	// deadline, whether silent or dripping; signed-in ones stay.
	const deadline = 300 * time.Millisecond
	w, p := abuseWorldWith(t, func(s *server.Server) { server.SetSignInTimeout(s, deadline) })
	var strangers []*client
	for _, addr := range []string{w.srv.NSAddr(), w.srv.SBAddr(), w.srv.DSAddr()} {
		silent := w.dial(addr)
		halfway := w.dial(addr)
		halfway.write("VER 1 MSNP8 CVR0\r\nUSR 2 TWN I carol@exa")
		strangers = append(strangers, silent, halfway)
	}
	ns := w.dial(w.srv.NSAddr())
	ns.send("VER 1 MSNP8 CVR0")
	ns.expect("VER 1 MSNP8")
	ns.send("USR 2 TWN I carol@example.com") // on the way, not signed in
	ns.expectPrefix("USR 2 TWN S ")
	strangers = append(strangers, ns)
	start := time.Now()
	for _, c := range strangers {
		c.nc.SetReadDeadline(time.Now().Add(stepTimeout))
		buf := make([]byte, 256)
		for {
			if _, err := c.nc.Read(buf); err != nil {
				if ne, ok := err.(net.Error); ok && ne.Timeout() {
					t.Fatalf("a stranger at %s was not dropped", c.nc.RemoteAddr())
				}
				break
			}
		}
	}
	if d := time.Since(start); d > deadline+stepTimeout/2 {
		t.Errorf("strangers dropped after %v, deadline %v", d, deadline)
	}
	// alice and bob signed in long before: past the deadline they stay.
	time.Sleep(deadline)
	p.check(t)
}
