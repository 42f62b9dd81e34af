package passport

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"msn/proto/secret"
)

func TestLoginSuccess(t *testing.T) {
	fs := newFakeServer(t, nexusHandler("login.example.com/login2.srf", okLogin))
	c := fs.client(t, testNexus)
	tk, err := c.Login(context.Background(), "alice@example.com", secret.New(fakePassword), testChallenge)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Reveal() != fakeTicket {
		t.Fatalf("ticket = %q", tk.Reveal())
	}
	if c.LoginURL != "https://login.example.com/login2.srf" {
		t.Fatalf("LoginURL = %q", c.LoginURL)
	}
	reqs := fs.requests()
	if len(reqs) != 2 || reqs[0].Auth != "" || reqs[1].Path != "/login2.srf" || reqs[1].Host != "login.example.com" {
		t.Fatalf("requests = %+v", reqs)
	}
	want := "Passport1.4 OrgVerb=GET,OrgURL=http%3A%2F%2Fmessenger%2Emsn%2Ecom,sign-in=alice%40example.com,pwd=s3cr3t-Pa55%2Cw%3Dd%25," + testChallenge
	if reqs[1].Auth != want {
		t.Fatalf("Authorization = %q, want %q", reqs[1].Auth, want)
	}
}

func TestDiscoverDALogin(t *testing.T) {
	cases := []struct {
		dalogin string
		want    string
		err     error
	}{
		{"login.example.com/login2.srf", "https://login.example.com/login2.srf", nil},
		{"https://nexus.example.com/login", "https://nexus.example.com/login", nil},
		{"HTTPS://login.example.com:443/login", "https://login.example.com:443/login", nil},
		{"HTTPS://login.example.com:4443/login", "", ErrHostNotAllowed},
		{"http://login.example.com/login2.srf", "", ErrInsecureURL},
		{"ftp://login.example.com/login2.srf", "", ErrInsecureURL},
		{"evil.test/login2.srf", "", ErrHostNotAllowed},
		{"user:pw@login.example.com/x", "", ErrHostNotAllowed},
		{"", "", ErrMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.dalogin, func(t *testing.T) {
			fs := newFakeServer(t, nexusHandler(tc.dalogin, okLogin))
			c := fs.client(t, testNexus)
			got, err := c.Discover(context.Background())
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				if c.LoginURL != "" {
					t.Fatalf("LoginURL set to %q on error", c.LoginURL)
				}
				return
			}
			if err != nil || got != tc.want || c.LoginURL != tc.want {
				t.Fatalf("got %q, %v; LoginURL %q", got, err, c.LoginURL)
			}
		})
	}
}

func TestDiscoverMalformedNexus(t *testing.T) {
	cases := map[string]http.HandlerFunc{
		"no header": func(http.ResponseWriter, *http.Request) {},
		"no DALogin": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("PassportURLs", "DARealm=Passport.Net,DAReg=x")
		},
		"garbage": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("PassportURLs", "garbage")
		},
		"twice": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("PassportURLs", "DALogin=login.example.com/a,dalogin=evil.test/b")
		},
		"500": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("PassportURLs", "DALogin=login.example.com/a")
			w.WriteHeader(http.StatusInternalServerError)
		},
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			fs := newFakeServer(t, h)
			c := fs.client(t, testNexus)
			_, err := c.Login(context.Background(), "a@example.com", secret.New(fakePassword), testChallenge)
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			for _, r := range fs.requests() {
				if r.Auth != "" {
					t.Fatalf("credentials sent: %+v", r)
				}
			}
		})
	}
}

func TestNexusURLMustBeHTTPS(t *testing.T) {
	c := New("http://nexus.example.com/rdr/pprdr.asp", nil)
	if _, err := c.Discover(context.Background()); !errors.Is(err, ErrInsecureURL) {
		t.Fatalf("err = %v", err)
	}
}

func TestNexusAndLoginShareOneConnection(t *testing.T) {
	fs := newFakeServer(t, nexusHandler("nexus.example.com/login2.srf", okLogin))
	c := fs.client(t, testNexus)
	if _, err := c.Login(context.Background(), "a@example.com", secret.New(fakePassword), testChallenge); err != nil {
		t.Fatal(err)
	}
	if n := fs.conns.Load(); n != 1 {
		t.Fatalf("%d TLS connections for nexus + login, want 1", n)
	}
}

func TestWarmIsReusedByLogin(t *testing.T) {
	for _, cachedLogin := range []bool{false, true} {
		fs := newFakeServer(t, nexusHandler("nexus.example.com/login2.srf", okLogin))
		c := fs.client(t, testNexus)
		if cachedLogin {
			c.LoginURL = "https://nexus.example.com/login2.srf"
		}
		c.Warm(context.Background())
		c.Warm(context.Background())
		if _, err := c.Login(context.Background(), "a@example.com", secret.New(fakePassword), testChallenge); err != nil {
			t.Fatal(err)
		}
		for _, r := range fs.requests() {
			if r.Method != http.MethodGet {
				t.Fatalf("warm-up sent a request: %+v", r)
			}
		}
		if n := fs.conns.Load(); n != 1 {
			t.Fatalf("cached=%v: %d TLS connections, want 1", cachedLogin, n)
		}
	}
}

func TestWarmSkipsDisallowedLoginURL(t *testing.T) {
	fs := newFakeServer(t, nexusHandler("nexus.example.com/login2.srf", okLogin))
	c := fs.client(t, testNexus)
	c.LoginURL = "https://evil.test/login"
	c.Warm(context.Background())
	c.CloseIdle()
	for _, r := range fs.requests() {
		if r.Host == "evil.test" {
			t.Fatalf("warm contacted %+v", r)
		}
	}
}

func TestCachedLoginURLRediscovered(t *testing.T) {
	fs := newFakeServer(t, nexusHandler("login.example.com/login2.srf", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		okLogin(w, r)
	}))
	c := fs.client(t, testNexus)
	c.LoginURL = "https://login.example.com/old"
	tk, err := c.Login(context.Background(), "a@example.com", secret.New(fakePassword), testChallenge)
	if err != nil || tk.Reveal() != fakeTicket {
		t.Fatalf("login: %v", err)
	}
	if c.LoginURL != "https://login.example.com/login2.srf" {
		t.Fatalf("LoginURL = %q", c.LoginURL)
	}
}

func TestAuthFailed(t *testing.T) {
	cases := []struct {
		name   string
		h      http.HandlerFunc
		want   string
		reject []string
	}{
		{"401 cbtxt", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("WWW-Authenticate", "Passport1.4 da-status=failed,srealm=Passport.NET,ts=-3,prompt,cburl=http://x/y.gif,cbtxt=Type%20your%20e-mail%20address%1B%5B31m%E2%80%AEcorrectly.")
			w.WriteHeader(http.StatusUnauthorized)
		}, "Type your e-mail address\\x1b[31m\\u202ecorrectly.", []string{"\x1b", "\u202e"}},
		{"401 bare", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusUnauthorized)
		}, "passport: authentication failed", nil},
		{"401 echoes password", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("WWW-Authenticate", "Passport1.4 da-status=failed,cbtxt=bad%20s3cr3t-Pa55%252Cw%253Dd%2525%20and%20s3cr3t-Pa55%2Cw%3Dd%25")
			w.WriteHeader(http.StatusUnauthorized)
		}, "bad [REDACTED] and [REDACTED]", nil},
		{"WWW-Authenticate wins", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("WWW-Authenticate", "Passport1.4 da-status=failed-noretry")
			w.Header().Set("Authentication-Info", "Passport1.4 da-status=success,from-PP='"+fakeTicket+"'")
		}, "authentication failed", nil},
		{"200 failed", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Authentication-Info", "Passport1.4 dastatus=FAILED")
		}, "authentication failed", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFakeServer(t, nexusHandler("login.example.com/login2.srf", tc.h))
			c := fs.client(t, testNexus)
			tk, err := c.Login(context.Background(), "a@example.com", secret.New(fakePassword), testChallenge)
			if !errors.Is(err, ErrAuthFailed) || !tk.Empty() {
				t.Fatalf("err = %v", err)
			}
			noLeak(t, err)
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %q, want it to contain %q", err, tc.want)
			}
			for _, r := range tc.reject {
				if strings.Contains(err.Error(), r) {
					t.Fatalf("err holds raw %q: %q", r, err)
				}
			}
		})
	}
}

func TestMalformedLoginReplies(t *testing.T) {
	cases := []struct {
		name string
		info string
		code int
		want error
	}{
		{"no header", "", 200, ErrMalformed},
		{"no from-PP", "Passport1.4 da-status=success", 200, ErrMalformed},
		{"no status", "Passport1.4 from-PP='" + fakeTicket + "'", 200, ErrMalformed},
		{"unterminated", "Passport1.4 da-status=success,from-PP='t=abc", 200, ErrMalformed},
		{"empty", "Passport1.4 da-status=success,from-PP=''", 200, ErrMalformed},
		{"unquoted", "Passport1.4 da-status=success,from-PP=t=abc", 200, ErrMalformed},
		{"space", "Passport1.4 da-status=success,from-PP='t=a b&p=x'", 200, ErrBadTicket},
		{"quote char", "Passport1.4 da-status=success,from-PP='t=a\"b'", 200, ErrBadTicket},
		{"too long", "Passport1.4 da-status=success,from-PP='" + strings.Repeat("a", 5000) + "'", 200, ErrBadTicket},
		{"500", "Passport1.4 da-status=success,from-PP='" + fakeTicket + "'", 500, ErrMalformed},
		{"302 without Location", "Passport1.4 da-status=redir", 302, ErrMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFakeServer(t, nexusHandler("login.example.com/login2.srf", func(w http.ResponseWriter, _ *http.Request) {
				if tc.info != "" {
					w.Header().Set("Authentication-Info", tc.info)
				}
				w.WriteHeader(tc.code)
			}))
			c := fs.client(t, testNexus)
			tk, err := c.Login(context.Background(), "a@example.com", secret.New(fakePassword), testChallenge)
			if !errors.Is(err, tc.want) || !tk.Empty() {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			noLeak(t, err)
		})
	}
}

func TestBadCredentialsAndChallengeSendNothing(t *testing.T) {
	cases := []struct {
		name, email, pwd, ch string
		want                 error
	}{
		{"crlf password", "a@example.com", "hunter2\r\nX-Evil: 1", testChallenge, ErrBadCredentials},
		{"lf password", "a@example.com", "hunter2\nx", testChallenge, ErrBadCredentials},
		{"nul password", "a@example.com", "hunter2\x00x", testChallenge, ErrBadCredentials},
		{"empty password", "a@example.com", "", testChallenge, ErrBadCredentials},
		{"long password", "a@example.com", "hunter2" + strings.Repeat("x", 1024), testChallenge, ErrBadCredentials},
		{"empty email", "", fakePassword, testChallenge, ErrBadCredentials},
		{"control email", "a@example.com\r\n", fakePassword, testChallenge, ErrBadCredentials},
		{"challenge crlf", "a@example.com", fakePassword, "lc=1033\r\nOUT", ErrBadChallenge},
		{"challenge sign-in", "a@example.com", fakePassword, "lc=1033,sign-in=other@x", ErrBadChallenge},
		{"challenge pwd", "a@example.com", fakePassword, "lc=1033,pwd=", ErrBadChallenge},
		{"challenge orgurl", "a@example.com", fakePassword, "OrgURL=http://evil,lc=1", ErrBadChallenge},
		{"challenge 20k", "a@example.com", fakePassword, "lc=" + strings.Repeat("1", 20<<10), ErrBadChallenge},
		{"challenge empty", "a@example.com", fakePassword, "", ErrBadChallenge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFakeServer(t, nexusHandler("login.example.com/login2.srf", okLogin))
			c := fs.client(t, testNexus)
			_, err := c.Login(context.Background(), tc.email, secret.New(tc.pwd), tc.ch)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "s3cr3t") {
				t.Fatalf("error leaks the password: %q", err)
			}
			if n := len(fs.requests()); n != 0 {
				t.Fatalf("%d requests sent", n)
			}
		})
	}
}

func TestUntrustedCertificate(t *testing.T) {
	fs := newFakeServer(t, nexusHandler("login.example.com/login2.srf", okLogin))
	c := fs.client(t, testNexus)
	c2 := New(testNexus, nil)
	c2.dial = c.dial
	defer c2.CloseIdle()
	_, err := c2.Login(context.Background(), "a@example.com", secret.New(fakePassword), testChallenge)
	var ne *NetError
	if !errors.As(err, &ne) || ne.Timeout() || ne.Dial() {
		t.Fatalf("err = %v", err)
	}
	if len(fs.requests()) != 0 {
		t.Fatal("request sent over an unverified connection")
	}
}

func TestWrongHostCertificate(t *testing.T) {
	fs := newFakeServer(t, nexusHandler("login.other.test/login2.srf", okLogin))
	c := fs.client(t, "https://nexus.other.test/rdr/pprdr.asp")
	_, err := c.Discover(context.Background())
	var ne *NetError
	if !errors.As(err, &ne) {
		t.Fatalf("err = %v", err)
	}
}
