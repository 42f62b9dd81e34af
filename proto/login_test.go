package proto

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"msn/proto/msntest"
	"msn/proto/secret"
)

const nsAddr = "10.0.0.2:1864"

func TestLoginMSNP8(t *testing.T) {
	fp := newFakePassport(t, "alicepass", "0fake1ticket2value3")
	d := msntest.NewDialer()
	d.Add(nsAddr, msntest.TestdataScript(t, "login_msnp8.txt"))
	var debug bytes.Buffer
	res, err := Login(msntest.Context(t), LoginConfig{
		Server: nsAddr, Email: "alice@example.com", Password: msntest.Password("alicepass"),
		Passport: fp.client(), Options: Options{Dial: d.Dial, Debug: &debug},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Handle != "alice@example.com" || res.FriendlyName != "Alice" || !res.Verified || !res.Fresh || res.CachedRejected {
		t.Errorf("result = %+v", res)
	}
	if res.Ticket.Reveal() != "0fake1ticket2value3" || res.NSAddr != nsAddr {
		t.Errorf("ticket or address wrong: %s", res.NSAddr)
	}
	if err := res.NS.Logout(msntest.Context(t)); err != nil {
		t.Fatal(err)
	}
	d.Check(t)
	if fp.nexus.Load() != 1 || fp.logins.Load() != 1 {
		t.Errorf("nexus %d, logins %d; want 1, 1", fp.nexus.Load(), fp.logins.Load())
	}
	for _, leak := range []string{"alicepass", "0fake1ticket2value3"} {
		if strings.Contains(debug.String(), leak) {
			t.Errorf("debug transcript contains a secret:\n%s", debug.String())
		}
	}
	if !strings.Contains(debug.String(), "C: USR 4 TWN S [REDACTED]") {
		t.Errorf("debug transcript lacks the redacted USR line:\n%s", debug.String())
	}
}

func TestLoginMSNP7(t *testing.T) {
	d := msntest.NewDialer()
	d.Add(nsAddr, msntest.TestdataScript(t, "login_msnp7.txt"))
	res, err := Login(msntest.Context(t), LoginConfig{
		Server: nsAddr, Email: "bob@example.com", Protocol: MSNP7, Password: msntest.Password("bobpass"),
		Options: Options{Dial: d.Dial},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.FriendlyName != "Bob" || !res.Ticket.Empty() {
		t.Errorf("result = %+v", res)
	}
	res.NS.Logout(msntest.Context(t))
	d.Check(t)
}

// loginAliceWithTicket signs alice in with the cached ticket tk and her
// password at hand, through d's scripts and the fake Passport fp.
func loginAliceWithTicket(t *testing.T, fp *fakePassport, d *msntest.Dialer, tk string) *LoginResult {
	t.Helper()
	res, err := Login(msntest.Context(t), LoginConfig{
		Server: nsAddr, Email: "alice@example.com", Ticket: secret.New(tk),
		Password: msntest.Password("alicepass"), Passport: fp.client(), Options: Options{Dial: d.Dial},
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestLoginCachedTicketAccepted(t *testing.T) {
	fp := newFakePassport(t, "alicepass", "unused")
	d := msntest.NewDialer()
	d.Add(nsAddr, msntest.TestdataScript(t, "login_msnp8.txt"))
	res := loginAliceWithTicket(t, fp, d, "0fake1ticket2value3")
	if res.Fresh || res.CachedRejected {
		t.Errorf("result = %+v", res)
	}
	res.NS.Logout(msntest.Context(t))
	d.Check(t)
	if n := fp.nexus.Load() + fp.logins.Load(); n != 0 {
		t.Errorf("Passport contacted %d times with a good cached ticket", n)
	}
}

func TestLoginCachedTicketRejected(t *testing.T) {
	fp := newFakePassport(t, "alicepass", "0fake1ticket2value3")
	d := msntest.NewDialer()
	d.Add(nsAddr, msntest.TestdataScript(t, "login_cached_rejected.txt"))
	d.Add(nsAddr, msntest.TestdataScript(t, "login_msnp8.txt"))
	res := loginAliceWithTicket(t, fp, d, "0stale1ticket2")
	if !res.Fresh || !res.CachedRejected {
		t.Errorf("result = %+v", res)
	}
	res.NS.Logout(msntest.Context(t))
	d.Check(t)
	if fp.logins.Load() != 1 {
		t.Errorf("Passport logins = %d, want exactly 1", fp.logins.Load())
	}
}

func TestLoginCachedTicketRejectedWithoutPassword(t *testing.T) {
	fp := newFakePassport(t, "alicepass", "x")
	d := msntest.NewDialer()
	d.Add(nsAddr, msntest.TestdataScript(t, "login_cached_rejected.txt"))
	_, err := Login(msntest.Context(t), LoginConfig{
		Server: nsAddr, Email: "alice@example.com", Ticket: secret.New("0stale1ticket2"),
		Passport: fp.client(), Options: Options{Dial: d.Dial},
	})
	if !errors.Is(err, ErrAuthFailed) {
		t.Fatalf("err = %v, want ErrAuthFailed", err)
	}
	d.Check(t)
}

func TestLoginWrongPassportPassword(t *testing.T) {
	fp := newFakePassport(t, "alicepass", "x")
	d := msntest.NewDialer()
	d.Add(nsAddr, msntest.Inline(t, `
C: VER $1 MSNP8 CVR0
S: VER $1 MSNP8
C: CVR $2 0x0409 win 4.10 i386 MSNMSGR 5.0.0544 MSMSGS alice@example.com
S: CVR $2 5.0.0544 5.0.0544 5.0.0544 https://x https://x
C: USR $3 TWN I alice@example.com
S: USR $3 TWN S ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1
C: EOF
`))
	_, err := Login(msntest.Context(t), LoginConfig{
		Server: nsAddr, Email: "alice@example.com", Password: msntest.Password("wrong-pass"),
		Passport: fp.client(), Options: Options{Dial: d.Dial},
	})
	if !errors.Is(err, ErrAuthFailed) {
		t.Fatalf("err = %v, want ErrAuthFailed", err)
	}
	if strings.Contains(err.Error(), "wrong-pass") {
		t.Errorf("error leaks the password: %v", err)
	}
	d.Check(t)
}

func TestLoginDispatchReferral(t *testing.T) {
	fp := newFakePassport(t, "alicepass", "0fake1ticket2value3")
	d := msntest.NewDialer()
	d.Add("10.0.0.1:1863", msntest.TestdataScript(t, "dispatch.txt"))
	d.Add(nsAddr, msntest.TestdataScript(t, "login_msnp8.txt"))
	res, err := Login(msntest.Context(t), LoginConfig{
		Server: "10.0.0.1", Email: "alice@example.com", Password: msntest.Password("alicepass"),
		Passport: fp.client(), Options: Options{Dial: d.Dial},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.NSAddr != nsAddr {
		t.Errorf("NSAddr = %q", res.NSAddr)
	}
	res.NS.Logout(msntest.Context(t))
	d.Check(t)
}

func TestLoginReferralLimits(t *testing.T) {
	referral := func(to string) *msntest.Script {
		return msntest.Inline(t, `
C: VER $1 MSNP8 CVR0
S: VER $1 MSNP8
C: CVR $2 0x0409 win 4.10 i386 MSNMSGR 5.0.0544 MSMSGS alice@example.com
S: CVR $2 1 1 1 x x
C: USR $3 TWN I alice@example.com
S: XFR $3 NS `+to+` 0 10.0.0.1:1863
C: EOF
`)
	}
	t.Run("loop", func(t *testing.T) {
		d := msntest.NewDialer()
		for i := 0; i < 4; i++ {
			d.Add("10.0.0.1:1863", referral("10.0.0.1:1863"))
		}
		_, err := Login(msntest.Context(t), LoginConfig{Server: "10.0.0.1:1863", Email: "alice@example.com",
			Protocol: MSNP8, Password: msntest.Password("p"), Passport: newFakePassport(t, "p", "x").client(), Options: Options{Dial: d.Dial}})
		if !errors.Is(err, ErrProtocol) {
			t.Fatalf("err = %v, want a protocol error", err)
		}
		d.Check(t)
	})
	for _, bad := range []string{"1.2.3.4:0", "1.2.3.4:99999", ":1863", "1.2.3.4:1863abc", "0.0.0.0:1863", "[::1]:1863", "evil.example:1863x"} {
		t.Run(bad, func(t *testing.T) {
			d := msntest.NewDialer()
			d.Add("203.0.113.1:1863", referral(bad))
			_, err := Login(msntest.Context(t), LoginConfig{Server: "203.0.113.1:1863", Email: "alice@example.com",
				Password: msntest.Password("p"), Passport: newFakePassport(t, "p", "x").client(), Options: Options{Dial: d.Dial}})
			if err == nil {
				t.Fatal("bad referral accepted")
			}
			d.Wait()
		})
	}
	t.Run("public server to loopback", func(t *testing.T) {
		d := msntest.NewDialer()
		d.Add("203.0.113.1:1863", referral("127.0.0.1:1863"))
		_, err := Login(msntest.Context(t), LoginConfig{Server: "203.0.113.1:1863", Email: "alice@example.com",
			Password: msntest.Password("p"), Passport: newFakePassport(t, "p", "x").client(), Options: Options{Dial: d.Dial}})
		if !errors.Is(err, ErrBadAddress) {
			t.Fatalf("err = %v, want ErrBadAddress", err)
		}
		var perr *PrivateAddressError
		if !errors.As(err, &perr) || perr.Host != "127.0.0.1" || strings.Contains(err.Error(), "--") {
			t.Fatalf("err = %#v, want a *PrivateAddressError for 127.0.0.1 naming no flag", err)
		}
		d.Check(t)
	})
}

func TestLoginMSNP7Errors(t *testing.T) {
	for _, tc := range []struct {
		script, email string
		want          error
	}{
		{"msnp7_wrong_password.txt", "alice@example.com", ErrAuthFailed},
		{"msnp7_unknown_user.txt", "nobody@example.com", ErrUnknownUser},
		{"msnp7_unknown_user_205.txt", "nobody@example.com", ErrUnknownUser},
		{"msnp7_no_md5_password.txt", "carol@example.com", ErrUnknownUser},
	} {
		t.Run(tc.script, func(t *testing.T) {
			d := msntest.NewDialer()
			d.Add(nsAddr, msntest.TestdataScript(t, tc.script))
			_, err := Login(msntest.Context(t), LoginConfig{Server: nsAddr, Email: tc.email, Protocol: MSNP7,
				Password: msntest.Password("wrongpass"), Options: Options{Dial: d.Dial}})
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			// Refused before any credential: no such account, or no
			// MD5 password, which the server does not tell apart.
			var me *MD5AccountError
			if isMD5 := errors.As(err, &me); isMD5 != (tc.want == ErrUnknownUser) {
				t.Fatalf("err = %#v: *MD5AccountError %v, want %v", err, isMD5, !isMD5)
			}
			if me != nil && (me.Email != tc.email || errors.Is(err, ErrAuthFailed) ||
				err.Error() != tc.email+": no such account, or it cannot sign in with MSNP7") {
				t.Fatalf("err = %q (%#v)", err, me)
			}
			d.Check(t)
		})
	}
}

func TestLoginMSNP7OnlyServer(t *testing.T) {
	d := msntest.NewDialer()
	d.Add(nsAddr, msntest.TestdataScript(t, "msnp7_only.txt"))
	_, err := Login(msntest.Context(t), LoginConfig{Server: nsAddr, Email: "alice@example.com",
		Password: msntest.Password("p"), Passport: newFakePassport(t, "p", "x").client(), Options: Options{Dial: d.Dial}})
	if !errors.Is(err, ErrUnsupportedVersion) {
		t.Fatalf("err = %v", err)
	}
	var verr *VersionError
	if !errors.As(err, &verr) || !verr.MSNP7Only || verr.Offered != MSNP8 {
		t.Fatalf("err = %#v, want a *VersionError saying MSNP7 only", err)
	}
	d.Check(t)
}

func TestLoginVersionDowngradeRefused(t *testing.T) {
	d := msntest.NewDialer()
	d.Add(nsAddr, msntest.Inline(t, `
C: VER $1 MSNP8 CVR0
S: VER $1 MSNP7 CVR0
close
`))
	_, err := Login(msntest.Context(t), LoginConfig{Server: nsAddr, Email: "alice@example.com",
		Password: msntest.Password("p"), Passport: newFakePassport(t, "p", "x").client(), Options: Options{Dial: d.Dial}})
	if !errors.Is(err, ErrUnsupportedVersion) {
		t.Fatalf("err = %v", err)
	}
	d.Check(t)
}

func TestLoginRejectsBadEmail(t *testing.T) {
	_, err := Login(msntest.Context(t), LoginConfig{Server: nsAddr, Email: "bob@x\r\nOUT", Protocol: MSNP7,
		Password: msntest.Password("p")})
	if !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("err = %v", err)
	}
}
