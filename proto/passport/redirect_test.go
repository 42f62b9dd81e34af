package passport

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"msn/proto/secret"
)

// redirecting answers the login path with a redirect to loc and every
// other path with okLogin.
func redirecting(loc string) http.HandlerFunc {
	return nexusHandler("login.example.com/login2.srf", func(w http.ResponseWriter, r *http.Request) {
		if r.Host == "login.example.com" && r.URL.Path == "/login2.srf" {
			w.Header().Set("Authentication-Info", "Passport1.4 da-status=redir")
			w.Header().Set("Location", loc)
			w.WriteHeader(http.StatusFound)
			return
		}
		okLogin(w, r)
	})
}

func TestRedirects(t *testing.T) {
	cases := []struct {
		name       string
		loc        string
		loginHosts []string
		want       error
		wantHost   string
		wantPath   string
	}{
		{"sibling host", "https://loginnet.example.com/login2.srf?lc=1033", nil, nil, "loginnet.example.com", "/login2.srf?lc=1033"},
		{"relative", "/next?x=1", nil, nil, "login.example.com", "/next?x=1"},
		{"relative path", "next", nil, nil, "login.example.com", "/next"},
		{"login host", "https://127.0.0.1/login", []string{"127.0.0.1"}, nil, "127.0.0.1", "/login"},
		{"login host with port", "https://127.0.0.1:8443/login", []string{"127.0.0.1:8443"}, nil, "127.0.0.1:8443", "/login"},
		{"login host on another port", "https://127.0.0.1:8443/login", []string{"127.0.0.1:1"}, ErrHostNotAllowed, "", ""},
		{"login host without port", "https://127.0.0.1:8443/login", []string{"127.0.0.1"}, ErrHostNotAllowed, "", ""},
		{"same host, another port", "https://login.example.com:444/login2.srf", nil, ErrHostNotAllowed, "", ""},
		{"sibling host, another port", "https://loginnet.example.com:8443/login2.srf", nil, ErrHostNotAllowed, "", ""},
		{"sibling host, port 443 named", "https://loginnet.example.com:443/login2.srf", nil, nil, "loginnet.example.com:443", "/login2.srf"},
		{"ip not allowed", "https://127.0.0.1/login", nil, ErrHostNotAllowed, "", ""},
		{"http", "http://login.example.com/next", nil, ErrInsecureURL, "", ""},
		{"evil", "https://evil.test/next", nil, ErrHostNotAllowed, "", ""},
		{"evil suffix", "https://evilexample.com/next", nil, ErrHostNotAllowed, "", ""},
		{"protocol relative", "//evil.test/next", nil, ErrHostNotAllowed, "", ""},
		{"javascript", "javascript:alert(1)", nil, ErrInsecureURL, "", ""},
		{"userinfo", "https://login.example.com@evil.test/next", nil, ErrHostNotAllowed, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFakeServer(t, redirecting(tc.loc))
			c := fs.client(t, testNexus)
			c.LoginHosts = tc.loginHosts
			tk, err := c.Login(context.Background(), "a@example.com", secret.New(fakePassword), testChallenge)
			reqs := fs.requests()
			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("err = %v, want %v", err, tc.want)
				}
				noLeak(t, err)
				if len(reqs) != 2 {
					t.Fatalf("requests after a refused redirect: %+v", reqs)
				}
				return
			}
			if err != nil || tk.Reveal() != fakeTicket {
				t.Fatalf("err = %v", err)
			}
			last := reqs[len(reqs)-1]
			if last.Host != tc.wantHost || last.Path != tc.wantPath || last.Auth != reqs[1].Auth || last.Auth == "" {
				t.Fatalf("last request = %+v", last)
			}
			if c.LoginURL != "https://login.example.com/login2.srf" {
				t.Fatalf("LoginURL = %q", c.LoginURL)
			}
		})
	}
}

func TestRedirectLoopStops(t *testing.T) {
	fs := newFakeServer(t, redirecting("/login2.srf"))
	c := fs.client(t, testNexus)
	_, err := c.Login(context.Background(), "a@example.com", secret.New(fakePassword), testChallenge)
	if !errors.Is(err, ErrTooManyRedirects) {
		t.Fatalf("err = %v", err)
	}
	logins := 0
	for _, r := range fs.requests() {
		if r.Path == "/login2.srf" {
			logins++
		}
	}
	if logins != MaxRedirects+1 {
		t.Fatalf("%d login requests, want %d", logins, MaxRedirects+1)
	}
}

func TestMicrosoftHostPolicy(t *testing.T) {
	c := New("", nil)
	for host, ok := range map[string]bool{
		"login.passport.com": true, "passport.com": true, "loginnet.passport.com": true,
		"login.live.com": true, "passport.net": true, "LOGIN.PASSPORT.COM.": true,
		"evilpassport.com": false, "passport.com.evil.test": false, "live.com.evil": false,
		"127.0.0.1": false, "example.com": false, "bad_host..passport.com": false,
	} {
		if got := c.hostAllowed(normalHost(host), 443); got != ok {
			t.Errorf("hostAllowed(%q) = %v, want %v", host, got, ok)
		}
	}
}

func TestCustomHostPolicy(t *testing.T) {
	c := New("https://127.0.0.1:4443/rdr/pprdr.asp", nil)
	c.LoginHosts = []string{"Login.Example.NET:4443"}
	for host, ok := range map[string]bool{
		"127.0.0.1": true, "127.0.0.2": false, "0.1": false, "login.example.net": true, "example.net": false,
	} {
		if got := c.hostAllowed(host, 4443); got != ok {
			t.Errorf("hostAllowed(%q, 4443) = %v, want %v", host, got, ok)
		}
	}
}
