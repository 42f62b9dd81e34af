package server_test

import (
	"crypto/md5"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"msn/proto/server"
)

// presentTicket dials the notification server and presents the Passport
// ticket tk for email over MSNP8; the caller reads the USR reply.
func (w *world) presentTicket(email, tk string) *client {
	w.t.Helper()
	c := w.dial(w.srv.NSAddr())
	c.send("VER 1 MSNP8 CVR0")
	c.expect("VER 1 MSNP8")
	c.send("USR 2 TWN I " + email)
	c.expectPrefix("USR 2 TWN S ")
	c.send("USR 3 TWN S " + tk)
	return c
}

// signIn logs email in over MSNP8 and drains the list stream.
func (w *world) signIn(email string) *client {
	w.t.Helper()
	tk, code := w.login(email, passwords[email])
	if code != 200 {
		w.t.Fatalf("passport: %d", code)
	}
	c := w.presentTicket(email, tk)
	c.expectPrefix("USR 3 OK " + email + " ")
	c.send("SYN 4 0")
	f := strings.Fields(c.line())
	n, _ := strconv.Atoi(f[3])
	g, _ := strconv.Atoi(f[4])
	for range 2 + n + g {
		c.line()
	}
	return c
}

// online signs in and sets NLN, reading the CHG reply but not the ILN burst.
func (w *world) online(email string) *client {
	c := w.signIn(email)
	c.send("CHG 5 NLN 0")
	c.expect("CHG 5 NLN 0")
	return c
}

// open starts a switchboard as c (whose NS is ns).
func (w *world) open(ns *client, email string) *client {
	w.t.Helper()
	ns.send("XFR 90 SB")
	rest := ns.expectPrefix("XFR 90 SB " + w.srv.SBAddr() + " CKI ")
	sb := w.dial(w.srv.SBAddr())
	sb.send("USR 1 " + email + " " + rest)
	sb.expectPrefix("USR 1 OK " + email + " ")
	return sb
}

var rngRE = regexp.MustCompile(`^RNG (\S+) (\S+) CKI (\S+) (\S+) (\S+)$`)

func TestChallenge(t *testing.T) {
	w := newWorld(t, server.Config{Challenge: true})
	for _, good := range []bool{true, false} {
		tk, _ := w.login("alice@example.com", "alicepass")
		c := w.presentTicket("alice@example.com", tk)
		c.expect("USR 3 OK alice@example.com Alice 1 0")
		chl := c.expectPrefix("CHL 0 ")
		if !regexp.MustCompile(`^\d{20}$`).MatchString(chl) {
			t.Fatalf("challenge %q", chl)
		}
		sum := md5.Sum([]byte(chl + "Q1P7W2E4J9R8U3S5"))
		ans := hex.EncodeToString(sum[:])
		if !good {
			ans = strings.Repeat("0", 32)
		}
		c.write("QRY 4 msmsgs@msnmsgr.com 32\r\n" + ans)
		if good {
			c.expect("QRY 4")
			c.send("OUT")
			c.expect("OUT")
		} else {
			c.expect("540 4")
		}
		c.expectClosed()
	}
	sum := md5.Sum([]byte("15570131571988941333Q1P7W2E4J9R8U3S5"))
	if hex.EncodeToString(sum[:]) != "8f2f5a91b72102cd28355e9fc9000d6e" {
		t.Fatal("test vector")
	}
}

func TestDispatch(t *testing.T) {
	w := newWorld(t, server.Config{Dispatch: true})
	for _, v := range []string{"MSNP8 CVR0|TWN", "MSNP7 MSNP6 CVR0|MD5"} {
		ver, pkg, _ := strings.Cut(v, "|")
		c := w.dial(w.srv.DSAddr())
		c.send("VER 1 " + ver)
		c.expect("VER 1 " + strings.Fields(ver)[0])
		c.send("CVR 2 0x0409 win 4.10 i386 MSNMSGR 5.0.0544 MSMSGS alice@example.com")
		c.expectPrefix("CVR 2 5.0.0544 ")
		c.send("USR 3 " + pkg + " I alice@example.com")
		c.expect("XFR 3 NS " + w.srv.NSAddr() + " 0 " + w.srv.DSAddr())
		c.send("OUT")
		c.expect("OUT")
		c.expectClosed()
	}
}

func TestTicketPolicies(t *testing.T) {
	w := newWorld(t, server.Config{Policy: server.Reusable, TicketLife: time.Hour})
	tk, _ := w.login("bob@example.com", "bobpass")
	use := func() string {
		c := w.dial(w.srv.NSAddr())
		c.send("VER 1 MSNP8")
		c.expect("VER 1 MSNP8")
		c.send("USR 2 TWN I bob@example.com")
		c.expectPrefix("USR 2 TWN S ")
		c.send("USR 3 TWN S t=" + tk + "&p=")
		l := c.line()
		c.send("OUT")
		return l
	}
	for range 2 {
		if l := use(); l != "USR 3 OK bob@example.com Bob 1 0" {
			t.Fatalf("reuse: %q", l)
		}
	}
	w.clock.Advance(time.Hour)
	if l := use(); l != "911 3" {
		t.Fatalf("expired: %q", l)
	}
	w.srv.SetPolicy(server.SingleUse, 0)
	tk, _ = w.login("bob@example.com", "bobpass")
	if l := use(); l != "USR 3 OK bob@example.com Bob 1 0" {
		t.Fatalf("single use: %q", l)
	}
	if l := use(); l != "911 3" {
		t.Fatalf("single use again: %q", l)
	}
	if _, code := w.login("bob@example.com", "wrong"); code != 401 {
		t.Fatalf("wrong password: %d", code)
	}
}

func TestPresenceAndPrivacy(t *testing.T) {
	w := newWorld(t, server.Config{})
	alice := w.online("alice@example.com")
	bob := w.signIn("bob@example.com")
	bob.send("CHG 5 BSY 0")
	alice.expect("NLN BSY bob@example.com Bob 0")
	bob.expect("CHG 5 BSY 0")
	bob.expect("ILN 5 NLN alice@example.com Alice 0")
	bob.send("CHG 6 NLN")
	bob.quiet() // MSNP8 CHG without client id is ignored
	if !w.srv.Online("bob@example.com") || w.srv.Online("carol@example.com") {
		t.Fatal("Online")
	}

	// Hidden: watchers see FLN, no switchboard.
	alice.send("CHG 7 HDN 0")
	bob.expect("FLN alice@example.com")
	alice.expect("CHG 7 HDN 0")
	alice.send("XFR 8 SB")
	alice.expect("913 8")
	alice.send("CHG 9 NLN 0")
	bob.expect("NLN NLN alice@example.com Alice 0")
	alice.expect("CHG 9 NLN 0")

	// Blocking bob hides alice from him and refuses his calls.
	alice.send("ADD 10 BL bob@example.com bob@example.com")
	alice.expect("219 10")
	alice.send("REM 11 AL bob@example.com")
	alice.expect("REM 11 AL 2 bob@example.com")
	alice.send("BLP 12 BL")
	bob.expect("FLN alice@example.com")
	alice.expect("BLP 12 3 BL")
	sb := w.open(bob, "bob@example.com")
	sb.send("CAL 2 alice@example.com")
	sb.expect("217 2")
	alice.send("ADD 13 AL bob@example.com bob@example.com")
	bob.expect("NLN NLN alice@example.com Alice 0")
	alice.expect("ADD 13 AL 4 bob@example.com bob@example.com")

	// REA announces the new name.
	alice.send("REA 14 alice@example.com Alice%20W.")
	bob.expect("NLN NLN alice@example.com Alice%20W. 0")
	alice.expect("REA 14 5 alice@example.com Alice%20W.")

	// A reverse-list push reaches carol when alice adds her.
	carol := w.signIn("carol@example.com")
	alice.send("ADD 15 FL carol@example.com carol@example.com")
	alice.expect("ADD 15 FL 6 carol@example.com carol@example.com")
	carol.expect("ADD 0 RL 2 alice@example.com Alice%20W.")
	alice.send("REM 16 FL carol@example.com")
	alice.expect("REM 16 FL 7 carol@example.com")
	carol.expect("REM 0 RL 3 alice@example.com")

	if !w.srv.Kick("bob@example.com") {
		t.Fatal("Kick")
	}
	bob.expect("OUT SSD")
	bob.expectClosed()
	alice.expect("FLN bob@example.com")
}

func TestListsAndGroups(t *testing.T) {
	w := newWorld(t, server.Config{})
	a := w.signIn("alice@example.com")
	steps := [][2]string{
		{"ADG 5 Friends%20Here 0", "ADG 5 2 Friends%20Here 1 0"},
		{"ADD 6 FL bob@example.com Bob 1", "ADD 6 FL 3 bob@example.com Bob 1"},
		{"ADD 7 FL bob@example.com Bob 1", "215 7"},
		{"ADD 8 FL bob@example.com Bob 9", "224 8"},
		{"REM 9 FL bob@example.com 1", "REM 9 FL 4 bob@example.com 1"},
		{"REM 10 FL bob@example.com 1", "225 10"},
		{"REM 11 FL nobody@example.com", "205 11"},
		{"ADD 12 FL bad-handle bad", "208 12"},
		{"REG 13 1 Pals 0", "REG 13 5 1 Pals 0"},
		{"RMG 14 0", "230 14"},
		{"RMG 15 7", "224 15"},
		{"PRP 16 PHH 555%201234", "PRP 16 6 PHH 555%201234"},
		{"PRP 17 XYZ 1", "715 17"},
		{"GTC 18 Q", "201 18"},
		{"RMG 19 1", "RMG 19 7 1"},
		{"SYN 20 7", "SYN 20 7"},
		{"SYN 21 3", "SYN 21 7 1 1"},
		{"", "GTC A"},
		{"", "BLP AL"},
		{"", "PRP PHH 555%201234"},
		{"", "LSG 0 Other%20Contacts 0"},
		{"", "LST bob@example.com Bob 11 0"},
	}
	a.exchange(steps)
	a.send("ADD 22 RL bob@example.com bob@example.com")
	a.expectClosed()
}

func TestSwitchboardLimits(t *testing.T) {
	w := newWorld(t, server.Config{})
	alice := w.online("alice@example.com")
	bob := w.online("bob@example.com")
	alice.expect("NLN NLN bob@example.com Bob 0")
	bob.expect("ILN 5 NLN alice@example.com Alice 0")
	sa := w.open(alice, "alice@example.com")
	sa.send("CAL 2 bob@example.com")
	m := rngRE.FindStringSubmatch(bob.line())
	if m == nil || m[2] != w.srv.SBAddr() || m[4] != "alice@example.com" {
		t.Fatalf("RNG %q", m)
	}
	sa.expect("CAL 2 RINGING " + m[1])
	sb := w.dial(m[2])
	sb.send("ANS 1 bob@example.com " + m[3] + " " + m[1])
	sa.expect("JOI bob@example.com Bob")
	sb.expect("JOI bob@example.com Bob")
	sb.expect("IRO 1 1 1 alice@example.com Alice")
	sb.expect("ANS 1 OK")
	sa.send("CAL 3 bob@example.com")
	sa.expect("215 3")

	// A reused invitation cookie is refused.
	again := w.dial(m[2])
	again.send("ANS 1 bob@example.com " + m[3] + " " + m[1])
	again.expect("911 1")

	sb.write("MSG 2 N 5\r\nhello")
	sa.expect("MSG bob@example.com Bob 5")
	if p := sa.payload(5); p != "hello" {
		t.Fatal(p)
	}
	sb.write("MSG 3 X 1\r\nx")
	sb.expectClosed()
	sa.expect("BYE bob@example.com")
	sa.write("MSG 4 A 1\r\nx")
	sa.expect("ACK 4")
	sa.send("MSG 5 U 1665")
	sa.expectClosed()
}

func TestProtocolErrors(t *testing.T) {
	w := newWorld(t, server.Config{})
	c := w.dial(w.srv.NSAddr())
	c.send("VER 1 MSNP8 CVR0")
	c.expect("VER 1 MSNP8")
	c.send("")
	c.expectClosed()

	c = w.dial(w.srv.NSAddr())
	c.write("VER 1 " + strings.Repeat("x", 17<<10) + "\r\n")
	c.expectClosed()

	c = w.dial(w.srv.NSAddr())
	c.send("VER 1 MSNP7")
	c.expect("VER 1 MSNP7")
	c.send("USR 2 TWN I alice@example.com")
	c.expect("502 2")
	c.send("MSG 3 N 2")
	c.expectClosed()
}

func TestLoadAccounts(t *testing.T) {
	in := `[{"email":"Dave@Example.com","password":"davepass","contacts":["alice@example.com"]}]`
	accts, err := server.LoadAccounts(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if accts[0].Email != "dave@example.com" || accts[0].Name != "dave" {
		t.Fatalf("%+v", accts[0])
	}
	if _, err := server.LoadAccounts(strings.NewReader(`[{"email":"nope","password":"x"}]`)); err == nil {
		t.Fatal("invalid e-mail accepted")
	}
	w := newWorld(t, server.Config{})
	if err := w.srv.AddAccount(accts[0]); err != nil {
		t.Fatal(err)
	}
	if err := w.srv.AddAccount(accts[0]); err == nil {
		t.Fatal("duplicate accepted")
	}
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := w.srv.WriteCA(path); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != string(w.srv.CACertPEM()) {
		t.Fatal("WriteCA")
	}
	d := w.signIn("dave@example.com")
	d.send("SYN 9 0")
	d.expect("SYN 9 1 1 1")
}

// TestRemoveAsTheRevivalServer: REM of an address with no entry in the
// lists is 205, and REM from a list the contact is not on succeeds and
// changes nothing (transcripts/08 q2, q4, q5).
func TestRemoveAsTheRevivalServer(t *testing.T) {
	w := newWorld(t, server.Config{})
	a := w.signIn("alice@example.com")
	steps := [][2]string{
		{"REM 5 AL carol@example.com", "205 5"},
		{"REM 6 FL nobody@example.com", "205 6"},
		{"REM 7 BL bob@example.com", "REM 7 BL 2 bob@example.com"},
		{"SYN 8 1", "SYN 8 2 1 1"},
		{"", "GTC A"},
		{"", "BLP AL"},
		{"", "LSG 0 Other%20Contacts 0"},
		{"", "LST bob@example.com Bob 11 0"},
	}
	a.exchange(steps)
}
