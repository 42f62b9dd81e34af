package proto

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"msn/proto/msntest"
	"msn/proto/passport"
	"msn/proto/secret"
)

// The hostile notification server during sign-in (hostile-inputs.md
// §2.1, §2.8 #116, §2.9 #122), one row per case: the server's whole
// script and the error Login must return. runLoginRow checks (E), (T)
// within loginRowBound or the row's own deadline, and (S): neither the
// password nor a ticket reaches the error or the debug transcript.

// loginServer is the configured server of the rows: a public address,
// so that referrals to private ones are refused.
const loginServer = "203.0.113.1:1863"

// loginRowBound is how long a row without its own deadline may take.
const loginRowBound = 3 * time.Second

// loginRow is one hostile case during sign-in.
type loginRow struct {
	n      int
	name   string
	script string // the server at loginServer; "$ticket" is the cached ticket; "" for none
	// email is the account signing in; "" means alice@example.com.
	email string
	// cached makes Login try a cached ticket first; noPassword leaves
	// it without a password source.
	cached, noPassword bool
	// deadline, when set, is the whole login's context deadline, and
	// the row must end within it and a small margin (T).
	deadline time.Duration
	want     error // errors.Is; nil means the login succeeds
	logins   int32 // the Passport logins the row must cause
}

// loginHead is the client's first write and the server's first answers,
// up to its USR challenge.
const loginHead = `
C: VER $1 MSNP8 CVR0
S: VER $1 MSNP8 CVR0
C: CVR $2 0x0409 win 4.10 i386 MSNMSGR 5.0.0544 MSMSGS alice@example.com
S: CVR $2 5.0.0544 5.0.0544 5.0.0544 https://x https://x
C: USR $3 TWN I alice@example.com
`

// loginRowTicket is the ticket Passport hands out and the one cached.
const loginRowTicket = "t=SEKRIT1ticket&p=SEKRIT2profile"

// loginPassword is the password of the rows.
const loginPassword = "hunter2-secret"

// referral is a server that sends the client to another address.
func referral(to string) string {
	return loginHead + "S: XFR $3 NS " + to + " 0 203.0.113.1:1863\nC: EOF\n"
}

// versionReply is a server that answers VER with version and no more.
func versionReply(version string) string {
	return `
C: VER $1 MSNP8 CVR0
C: CVR $2 0x0409 win 4.10 i386 MSNMSGR 5.0.0544 MSMSGS alice@example.com
C: USR $3 TWN I alice@example.com
S: VER $1 ` + version + `
C: EOF
`
}

// drip writes line one byte at a time, every interval.
func drip(line string, interval time.Duration) string {
	var b strings.Builder
	for i := 0; i < len(line); i++ {
		fmt.Fprintf(&b, "S: raw %q\nsleep %v\n", line[i:i+1], interval)
	}
	return b.String()
}

func loginRows() []loginRow {
	challenge := "S: USR $3 TWN S ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1\n"
	return []loginRow{
		{n: 7, name: "unknown error code for USR", script: loginHead + "S: 999 $3\nC: EOF\n", want: &ServerError{Code: 999}},
		{n: 8, name: "911 to the cached ticket, no password", cached: true, noPassword: true,
			script: loginHead + "C: USR $4 TWN S $ticket\nS: USR $3 TWN S lc=1\nS: 911 $4\nC: EOF\n", want: ErrAuthFailed},
		{n: 8, name: "911 to a fresh ticket", script: loginHead + challenge + "C: USR $4 TWN S $ticket\nS: 911 $4\nC: EOF\n",
			want: ErrAuthFailed, logins: 1},
		{n: 13, name: "referral without an address", script: loginHead + "S: XFR $3 NS\nC: EOF\n", want: ErrProtocol},
		{n: 16, name: "slow drip during sign-in", script: loginHead + drip("VER 1 MSNP8 CVR0\r\n", 60*time.Millisecond) + "C: EOF\n",
			deadline: 400 * time.Millisecond, want: context.DeadlineExceeded},
		{n: 17, name: "OUT during sign-in", script: loginHead + "S: OUT SSD\nC: EOF\n", want: ErrServerShutdown},
		{n: 19, name: "referral to port 0", script: referral("1.2.3.4:0"), want: ErrBadAddress},
		{n: 19, name: "referral to port 99999", script: referral("1.2.3.4:99999"), want: ErrBadAddress},
		{n: 19, name: "referral without a host", script: referral(":1863"), want: ErrBadAddress},
		{n: 19, name: "referral to loopback v6", script: referral("[::1]:1863"), want: ErrBadAddress},
		{n: 19, name: "referral to loopback v4", script: referral("127.0.0.1:1863"), want: ErrBadAddress},
		{n: 19, name: "referral to a private address", script: referral("10.1.2.3:1863"), want: ErrBadAddress},
		{n: 19, name: "referral to link-local", script: referral("169.254.169.254:80"), want: ErrBadAddress},
		{n: 19, name: "referral to the unspecified address", script: referral("0.0.0.0:1863"), want: ErrBadAddress},
		{n: 19, name: "port with letters", script: referral("1.2.3.4:1863abc"), want: ErrBadAddress},
		{n: 19, name: "host with a control character", script: referral("evil%00.example:1863"), want: ErrBadAddress},
		{n: 20, name: "MSNP7 offered back", script: versionReply("MSNP7 CVR0"),
			want: ErrUnsupportedVersion},
		{n: 20, name: "version 0", script: versionReply("0"),
			want: ErrUnsupportedVersion},
		{n: 20, name: "a version not offered", script: versionReply("MSNP12"),
			want: ErrUnsupportedVersion},
		{n: 20, name: "reply without CVR0 accepted", script: strings.Replace(loginHead, "S: VER $1 MSNP8 CVR0", "S: VER $1 MSNP8", 1) +
			challenge + "C: USR $4 TWN S $ticket\nS: USR $4 OK alice@example.com Alice 1 0\nC: OUT\nclose\n", logins: 1},
		{n: 116, name: "challenge that sets pwd", script: loginHead + "S: USR $3 TWN S lc=1033,pwd=stolen,id=507\nC: EOF\n",
			want: passport.ErrBadChallenge},
		{n: 116, name: "challenge that sets sign-in", script: loginHead + "S: USR $3 TWN S lc=1033,sign-in=other@x,id=507\nC: EOF\n",
			want: passport.ErrBadChallenge},
		{n: 116, name: "15 KB challenge", script: loginHead + "S: USR $3 TWN S lc=" + strings.Repeat("1", 15_000) + "\nC: EOF\n",
			want: passport.ErrBadChallenge},
		{n: 43, name: "account address with a bidi override, refused before dialling", email: "alice\u202e@example.com",
			want: ErrInvalidArgument},
		{n: 43, name: "account address with a byte-order mark, refused before dialling", email: "\ufeffalice@example.com",
			want: ErrInvalidArgument},
		{n: 122, name: "stale cached ticket: one fresh login", cached: true,
			script: loginHead + "C: USR $4 TWN S $ticket\nS: USR $3 TWN S lc=1\nS: 911 $4\nC: EOF\n", want: ErrAuthFailed, logins: 1},
	}
}

// runLoginRow plays r and checks it.
func runLoginRow(t *testing.T, r loginRow) {
	t.Helper()
	fp := newFakePassport(t, loginPassword, loginRowTicket)
	d := msntest.NewDialer()
	if r.script != "" {
		d.Add(loginServer, msntest.Inline(t, strings.ReplaceAll(r.script, "$ticket", loginRowTicket)))
	}
	if r.n == 122 {
		// The fresh ticket is refused as well: exactly one more login,
		// no loop.
		d.Add(loginServer, msntest.Inline(t, loginHead+"S: USR $3 TWN S lc=1\nC: USR $4 TWN S $ticket\nS: 911 $4\nC: EOF\n"))
	}
	var debug msntest.SyncBuffer
	email := "alice@example.com"
	if r.email != "" {
		email = r.email
	}
	cfg := LoginConfig{Server: loginServer, Email: email, Passport: fp.client(),
		Options: Options{Dial: d.Dial, Debug: &debug}}
	if !r.noPassword {
		cfg.Password = msntest.Password(loginPassword)
	}
	if r.cached {
		cfg.Ticket = secret.New(loginRowTicket)
	}
	bound := loginRowBound
	if r.deadline > 0 {
		bound = r.deadline + 300*time.Millisecond
	}
	ctx, cancel := context.WithTimeout(context.Background(), loginRowBound)
	if r.deadline > 0 {
		cancel()
		ctx, cancel = context.WithTimeout(context.Background(), r.deadline)
	}
	defer cancel()
	start := time.Now()
	res, err := Login(ctx, cfg)
	took := time.Since(start)
	if r.want == nil {
		if err != nil {
			t.Fatalf("(E) login failed: %v", err)
		}
		res.NS.Logout(msntest.Context(t))
	} else if !errors.Is(err, r.want) {
		if res != nil {
			res.NS.Close()
		}
		t.Fatalf("(E) login returned %v, want %v", err, r.want)
	}
	if took > bound {
		t.Errorf("(T) login took %v, bound %v", took, bound)
	}
	if err != nil {
		checkNoSecret(t, "error", err.Error())
		checkPrintable(t, "error", err.Error(), false)
	}
	checkNoSecret(t, "debug transcript", debug.String())
	checkPrintable(t, "debug transcript", debug.String(), true)
	if got := fp.logins.Load(); got != r.logins {
		t.Errorf("%d Passport logins, want %d", got, r.logins)
	}
	if r.deadline == 0 {
		d.Check(t)
	} else {
		d.Wait() // the drip is cut off: its write fails, as it should
	}
}

func TestHostileLogin(t *testing.T) {
	for _, r := range loginRows() {
		t.Run(fmt.Sprintf("%d %s", r.n, r.name), func(t *testing.T) { runLoginRow(t, r) })
	}
}
