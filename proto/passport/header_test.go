package passport

import (
	"errors"
	"strings"
	"testing"

	"msn/proto/secret"
)

func TestAuthorizationHeaderGolden(t *testing.T) {
	const pre = "Passport1.4 OrgVerb=GET,OrgURL=http%3A%2F%2Fmessenger%2Emsn%2Ecom,sign-in=alice%40example.com,pwd="
	const ch = "lc=1033,id=507,tw=40,fs=1,ru=http%3A%2F%2Fmessenger%2Emsn%2Ecom,ct=1062764229,kpp=1,kv=5,ver=2.1.0173.1,tpf=43f8a4c8ed940c04e3740be46c4d1619"
	cases := []struct{ pwd, enc string }{
		{`p,w=d%'"`, `p%2Cw%3Dd%25%27%22`},
		{"pässwörd", "p%C3%A4ssw%C3%B6rd"},
		{" ", "%20"},
		{"fake pass+word", "fake%20pass%2Bword"},
		{"A-Z_a.z~09", "A-Z_a.z~09"},
		{"\t@/?#[]&;\x7f\xff", "%09%40%2F%3F%23%5B%5D%26%3B%7F%FF"},
		{strings.Repeat("aB3-_.~!", 16), strings.Repeat("aB3-_.~%21", 16)},
	}
	for _, tc := range cases {
		got, err := AuthorizationHeader("alice@example.com", secret.New(tc.pwd), ch)
		if err != nil {
			t.Fatalf("%q: %v", tc.pwd, err)
		}
		if want := pre + tc.enc + "," + ch; got != want {
			t.Errorf("password %q:\n got %s\nwant %s", tc.pwd, got, want)
		}
	}
	if len(cases[len(cases)-1].pwd) != 128 {
		t.Fatal("long password case is not 128 bytes")
	}
}

func TestAuthorizationHeaderRefusesLineBreaks(t *testing.T) {
	for _, pwd := range []string{"hunter2\r\n", "hun\rter2", "hunter2\nX", "hunter2\x00"} {
		h, err := AuthorizationHeader("a@example.com", secret.New(pwd), "lc=1")
		if err == nil || h != "" {
			t.Fatalf("%q accepted", pwd)
		}
		if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "hun") {
			t.Fatalf("error leaks the password: %q", err)
		}
	}
}

func TestValidChallenge(t *testing.T) {
	good := []string{
		"ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1",
		"lc=1033,id=507,tw=40,fs=1,ru=http%3A%2F%2Fmessenger%2Emsn%2Ecom,ct=1062764229,kpp=1,kv=5,ver=2.1.0173.1,tpf=43f8a4c8ed940c04e3740be46c4d1619",
		"ct=1,rver=5.5.4177.0,wp=FS_40SEC_0_COMPACT,lc=1033,id=507,ru=http:%2F%2Fmessenger.msn.com,tw=0,kpp=1,kv=4,ver=2.1.6000.1,rn=1lgjBfIL,tpf=b0735e3a873dfb5e75054465196398e0",
		"a=", "x=y=z",
	}
	for _, ch := range good {
		if err := ValidChallenge(ch); err != nil {
			t.Errorf("%q: %v", ch, err)
		}
	}
	bad := []string{
		"", "lc=1033\r\nOUT", "lc=1033\n", "lc=1033,sign-in=other@x", "lc=1,pwd=", "lc=1,PWD=x",
		"OrgVerb=POST", "orgurl=x", "lc=1 033", "lc", "lc=1,,id=2", "=1", "lc=1,", "l c=1", "lc=\x00",
		"lc=" + strings.Repeat("9", 20<<10), "lc=ä", "k~=1",
	}
	for _, ch := range bad {
		err := ValidChallenge(ch)
		if !errors.Is(err, ErrBadChallenge) {
			t.Errorf("%q: err = %v", ch, err)
		}
		if len(ch) > 3 && err != nil && strings.Contains(err.Error(), ch) {
			t.Errorf("error echoes the challenge: %q", err)
		}
	}
}

func TestParseAuthInfo(t *testing.T) {
	cases := []struct {
		in, status, ticket string
		err                error
	}{
		{"Passport1.4 da-status=success,tname=MSPAuth,tname=MSPProf,tname=MSPSec,from-PP='t=abc!*$&p=def',ru=http://messenger.msn.com", "success", "t=abc!*$&p=def", nil},
		{"Passport1.4 da-status=success,from-PP='c41a412592774986a2c7'", "success", "c41a412592774986a2c7", nil},
		{"Passport1.4 from-PP='t=a,b=c&p=x',DaStatus=Success", "success", "t=a,b=c&p=x", ErrBadTicket},
		{"passport1.4 DA-STATUS=redir", "redir", "", nil},
		{"Passport1.4 da-status=failed,srealm=Passport.NET,ts=-3,prompt", "failed", "", nil},
		{"da-status=success,FROM-pp='t=x&p=y'", "success", "t=x&p=y", nil},
		{"", "", "", nil},
		{"da-status=success,from-PP='t=abc", "", "", ErrMalformed},
		{"da-status=success,from-PP=''", "", "", ErrMalformed},
		{"da-status=success,from-PP=t=abc", "", "", ErrMalformed},
		{"da-status=success,from-PP='t=abc\r\nOUT\r\n&p=x'", "", "", ErrBadTicket},
		{"da-status=success,from-PP='t=a b'", "", "", ErrBadTicket},
		{"da-status=success,from-PP='" + strings.Repeat("a", 100<<10) + "'", "", "", ErrMalformed},
	}
	for _, tc := range cases {
		status, ticket, err := ParseAuthInfo(tc.in)
		if tc.err != nil {
			if !errors.Is(err, tc.err) || ticket != "" {
				t.Errorf("%.60q: err = %v ticket %q", tc.in, err, ticket)
			}
			continue
		}
		if err != nil || status != tc.status || ticket != tc.ticket {
			t.Errorf("%.60q: got %q %q %v", tc.in, status, ticket, err)
		}
	}
}

func TestParsePassportURLs(t *testing.T) {
	m, err := ParsePassportURLs("DARealm=Passport.Net,DALogin=login.passport.com/login2.srf,DAReg=http://register.passport.net/uixpwiz.srf,Properties=https://register.passport.net/editprof.srf,ConfigVersion=15")
	if err != nil || m["DALogin"] != "login.passport.com/login2.srf" || m["ConfigVersion"] != "15" {
		t.Fatalf("got %v, %v", m, err)
	}
	if v, ok := daLogin(map[string]string{"dalogin": "x"}); !ok || v != "x" {
		t.Fatal("DALogin key must match without regard to case")
	}
	for _, bad := range []string{"", ",,", "DALogin", "=x", "DALogin=a\r\nb", "a=1,A=2", strings.Repeat("a=b,", 4<<10)} {
		if _, err := ParsePassportURLs(bad); !errors.Is(err, ErrMalformed) {
			t.Errorf("%.40q: err = %v", bad, err)
		}
	}
}

func TestValidTicket(t *testing.T) {
	for _, s := range []string{"t=abc&p=def", "c41a412592774986a2c7", "t=A!*$._~%-9", strings.Repeat("a", MaxTicket)} {
		if !ValidTicket(s) {
			t.Errorf("%.40q refused", s)
		}
	}
	for _, s := range []string{"", "t=a b", "t=a\r\n", "t='x'", "t=ä", "a,b", strings.Repeat("a", MaxTicket+1)} {
		if ValidTicket(s) {
			t.Errorf("%.40q accepted", s)
		}
	}
}

func TestEscapeDisplay(t *testing.T) {
	got := escapeDisplay("ok \x1b[2J\u202e\u200b\xffé\x7f", 100)
	if want := `ok \x1b[2J\u202e\u200b\xffé\x7f`; got != want {
		t.Fatalf("got %q want %q", got, want)
	}
	if got := escapeDisplay(strings.Repeat("x", 300), 10); got != "xxxxxxxxxx..." {
		t.Fatalf("got %q", got)
	}
}
