package passport

import (
	"net/url"
	"strings"
	"testing"

	"msn/proto/secret"
)

func FuzzParseAuthInfo(f *testing.F) {
	for _, s := range []string{
		"Passport1.4 da-status=success,tname=MSPAuth,tname=MSPProf,tname=MSPSec,from-PP='t=abc&p=def',ru=http://messenger.msn.com",
		"Passport1.4 da-status=success,from-PP='c41a412592774986a2c7'",
		"Passport1.4 da-status=redir",
		"Passport1.4 da-status=failed,srealm=Passport.NET,ts=-3,prompt,cburl=http://www.passportimages.com/XPPassportLogo.gif,cbtxt=Type%20your%20e-mail%20address%20and%20password%20correctly.",
		"Passport1.4 dastatus=success,from-PP='t=a!*$&p=b'",
		"da-status=success,from-PP='",
		"da-status=success,from-PP=''",
		"da-status=success,from-PP='t=abc\r\nOUT\r\n&p=x'",
		"da-status=success,from-PP='t=a b&p=x'",
		"da-status=success,from-PP='" + strings.Repeat("A", 5000) + "'",
		"from-PP='x',from-PP='y'",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		status, ticket, err := ParseAuthInfo(v)
		if err != nil {
			if ticket != "" || status != "" {
				t.Fatalf("values returned with error %v", err)
			}
			return
		}
		if ticket != "" && !ValidTicket(ticket) {
			t.Fatalf("accepted invalid ticket %q", ticket)
		}
		if status != strings.ToLower(status) {
			t.Fatalf("status not lower-cased: %q", status)
		}
		_ = authFailed(v, secret.New("pw"))
	})
}

func FuzzParsePassportURLs(f *testing.F) {
	for _, s := range []string{
		"DARealm=Passport.Net,DALogin=login.passport.com/login2.srf,DAReg=http://register.passport.net/uixpwiz.srf,ConfigVersion=15",
		"DALogin=https://127.0.0.1:4443/login",
		"DALogin=http://login.passport.com/login2.srf",
		"DALogin=evil.example/login2.srf",
		"DALogin=//evil.example/",
		"DALogin=user@login.passport.com/x",
		"DALogin=,DALogin=x",
		"",
	} {
		f.Add(s)
	}
	c := New("", nil)
	f.Fuzz(func(t *testing.T, v string) {
		m, err := ParsePassportURLs(v)
		if err != nil {
			return
		}
		dl, ok := daLogin(m)
		if !ok {
			return
		}
		raw, err := loginURLFromDALogin(dl)
		if err != nil {
			return
		}
		u, err := c.checkLoginURL(raw)
		if err != nil {
			return
		}
		if port, ok := urlPort(u); u.Scheme != "https" || !ok || port != 443 || !c.hostAllowed(normalHost(u.Hostname()), port) {
			t.Fatalf("accepted %q", u)
		}
		h := normalHost(u.Hostname())
		if h != "passport.com" && h != "passport.net" && h != "live.com" &&
			!strings.HasSuffix(h, ".passport.com") && !strings.HasSuffix(h, ".passport.net") && !strings.HasSuffix(h, ".live.com") {
			t.Fatalf("host %q outside the Microsoft domains", h)
		}
	})
}

func FuzzAuthorizationHeader(f *testing.F) {
	f.Add("alice@example.com", "alicepass", "ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1")
	f.Add("a@b", `p,w=d%'"`, "lc=1033,id=507,tw=40,fs=1,ru=http%3A%2F%2Fmessenger%2Emsn%2Ecom,ct=1062764229,kpp=1,kv=5,ver=2.1.0173.1,tpf=43f8a4c8ed940c04e3740be46c4d1619")
	f.Add("a@b", "pässwörd", "lc=1033\r\nOUT")
	f.Add("a@b", " ", "lc=1033,sign-in=other@x")
	f.Add("a@b", "pw\r\n", "lc=1,pwd=")
	f.Add("a,sign-in=x@b", "x", "lc="+strings.Repeat("1", 20<<10))
	f.Fuzz(func(t *testing.T, email, pwd, ch string) {
		h, err := AuthorizationHeader(email, secret.New(pwd), ch)
		if cerr := ValidChallenge(ch); cerr != nil && err == nil {
			t.Fatalf("bad challenge accepted: %v", cerr)
		}
		if err != nil {
			// A leak is the password where another of the same shape
			// would not be: "pass" is in every "passport: ..." error.
			_, other := AuthorizationHeader(email, secret.New(sameShape(pwd)), ch)
			if pwd != "" && strings.Count(err.Error(), pwd) > strings.Count(other.Error(), pwd) {
				t.Fatalf("error leaks the password")
			}
			return
		}
		if strings.ContainsAny(h, "\r\n\x00") {
			t.Fatal("header holds a line break")
		}
		rest, ok := strings.CutPrefix(h, "Passport1.4 ")
		if !ok {
			t.Fatal("missing scheme")
		}
		got := map[string][]string{}
		for _, field := range strings.Split(rest, ",") {
			k, v, _ := strings.Cut(field, "=")
			got[strings.ToLower(k)] = append(got[strings.ToLower(k)], v)
		}
		for _, k := range []string{"sign-in", "pwd", "orgverb", "orgurl"} {
			if len(got[k]) != 1 {
				t.Fatalf("%s appears %d times", k, len(got[k]))
			}
		}
		if p, err := url.PathUnescape(got["pwd"][0]); err != nil || p != pwd {
			t.Fatalf("pwd does not round-trip")
		}
		if e, err := url.PathUnescape(got["sign-in"][0]); err != nil || e != email {
			t.Fatalf("sign-in does not round-trip")
		}
		if !strings.HasSuffix(h, ","+ch) {
			t.Fatal("challenge not appended verbatim")
		}
	})
}

// sameShape returns a password as long as pwd that the checks of
// AuthorizationHeader treat alike: line breaks and nul bytes stay, every
// other byte changes.
func sameShape(pwd string) string {
	b := []byte(pwd)
	for i, c := range b {
		switch {
		case c == '\r' || c == '\n' || c == 0:
		case c == 'Q':
			b[i] = 'R'
		default:
			b[i] = 'Q'
		}
	}
	return string(b)
}
