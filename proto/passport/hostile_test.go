package passport

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"msn/proto/msntest"
	"msn/proto/secret"
)

// Hostile Passport endpoints (hostile-inputs.md §2.8), one row per case:
// what the nexus and login server answer, and what Login must return.
// runPassportRow checks the invariants of §2.0 on top: (E) the sentinel,
// (T) the row ends within its bound, (C) bounded allocation, (S) neither
// the password nor the ticket reaches the error, and the password header
// never reaches a host the policy did not allow, (D) the error is
// printable. Redirect targets and the host policy have their own tables
// (redirect_test.go), the header encoding its golden tests (header_test.go).

// passportRowBound is how long a row may take unless it sets a deadline.
const passportRowBound = 3 * time.Second

// passportRow is one hostile case.
type passportRow struct {
	n    int
	name string
	// dalogin is the nexus's DALogin; login answers every request that
	// is not the nexus's.
	dalogin string
	login   http.HandlerFunc
	// password and challenge replace the defaults when set.
	password, challenge string
	// untrusted makes the client trust no certificate of the server.
	untrusted bool
	// deadline, when set, is Login's context deadline.
	deadline time.Duration
	// want is the error (errors.Is); nil means success with fakeTicket.
	want error
	// wantAs, when set, must match the error with errors.As.
	wantAs any
}

// evilHost is the host that must never see the password.
const evilHost = "evil.test"

func passportRows() []passportRow {
	redir := func(loc string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.Host == "login.example.com" {
				w.Header().Set("Authentication-Info", "Passport1.4 da-status=redir")
				if loc != "" {
					w.Header().Set("Location", loc)
				}
				w.WriteHeader(http.StatusFound)
				fmt.Fprint(w, "Location: https://evil.test/steal\r\n")
				return
			}
			okLogin(w, r)
		}
	}
	answer := func(info string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if info != "" {
				w.Header().Set("Authentication-Info", info)
			}
		}
	}
	return []passportRow{
		{n: 103, name: "plain-HTTP DALogin", dalogin: "http://login.example.com/login2.srf", login: okLogin, want: ErrInsecureURL},
		{n: 104, name: "DALogin outside the allowed hosts", dalogin: "evil.test/login2.srf", login: okLogin, want: ErrHostNotAllowed},
		{n: 104, name: "DALogin with userinfo", dalogin: "login.example.com@evil.test/login2.srf", login: okLogin, want: ErrHostNotAllowed},
		{n: 104, name: "DALogin on an allowed host but another port", dalogin: "login.example.com:4443/login2.srf", login: okLogin,
			want: ErrHostNotAllowed},
		{n: 107, name: "redirect to an allowed host but another port", dalogin: "login.example.com/login2.srf",
			login: redir("https://loginnet.example.com:8443/login2.srf"), want: ErrHostNotAllowed},
		{n: 106, name: "legitimate redirect", dalogin: "login.example.com/login2.srf",
			login: redir("https://loginnet.example.com/login2.srf")},
		{n: 107, name: "redirect to http", dalogin: "login.example.com/login2.srf", login: redir("http://login.example.com/x"),
			want: ErrInsecureURL},
		{n: 107, name: "redirect to another domain", dalogin: "login.example.com/login2.srf", login: redir("https://evil.test/x"),
			want: ErrHostNotAllowed},
		{n: 107, name: "redirect Location only in the body", dalogin: "login.example.com/login2.srf", login: redir(""),
			want: ErrMalformed},
		{n: 107, name: "redirect loop", dalogin: "login.example.com/login2.srf", login: redir("/login2.srf"),
			want: ErrTooManyRedirects},
		{n: 107, name: "redirect with a control character", dalogin: "login.example.com/login2.srf",
			login: redir("https://login.example.com/\x7fx"), want: ErrMalformed},
		{n: 109, name: "200 without Authentication-Info", dalogin: "login.example.com/login2.srf", login: answer(""), want: ErrMalformed},
		{n: 109, name: "success without from-PP", dalogin: "login.example.com/login2.srf",
			login: answer("Passport1.4 da-status=success"), want: ErrMalformed},
		{n: 109, name: "from-PP unterminated", dalogin: "login.example.com/login2.srf",
			login: answer("Passport1.4 da-status=success,from-PP='t=abc"), want: ErrMalformed},
		{n: 109, name: "from-PP empty", dalogin: "login.example.com/login2.srf",
			login: answer("Passport1.4 da-status=success,from-PP=''"), want: ErrMalformed},
		{n: 110, name: "ticket with a line break", dalogin: "login.example.com/login2.srf",
			login: answer("Passport1.4 da-status=success,from-PP='t=abc\r\nOUT\r\n&p=x'"), want: ErrBadTicket},
		{n: 110, name: "ticket with a space", dalogin: "login.example.com/login2.srf",
			login: answer("Passport1.4 da-status=success,from-PP='t=abc OUT&p=x'"), want: ErrBadTicket},
		{n: 110, name: "8 KB ticket", dalogin: "login.example.com/login2.srf",
			login: answer("Passport1.4 da-status=success,from-PP='t=" + strings.Repeat("a", 8<<10) + "'"), want: ErrBadTicket},
		{n: 110, name: "100 KB ticket, over the header cap", dalogin: "login.example.com/login2.srf",
			login: answer("Passport1.4 da-status=success,from-PP='t=" + strings.Repeat("a", 100<<10) + "'"), want: ErrMalformed},
		{n: 112, name: "certificate not trusted", dalogin: "login.example.com/login2.srf", login: okLogin, untrusted: true,
			wantAs: new(x509.UnknownAuthorityError)},
		{n: 113, name: "login server never answers", dalogin: "login.example.com/login2.srf", deadline: 300 * time.Millisecond,
			login: func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
			}, want: context.DeadlineExceeded},
		{n: 113, name: "100 Continue forever", dalogin: "login.example.com/login2.srf", deadline: 300 * time.Millisecond,
			login: func(w http.ResponseWriter, r *http.Request) {
				for r.Context().Err() == nil {
					w.WriteHeader(http.StatusContinue)
					time.Sleep(20 * time.Millisecond)
				}
			}, want: context.DeadlineExceeded},
		{n: 113, name: "endless body", dalogin: "login.example.com/login2.srf",
			login: func(w http.ResponseWriter, r *http.Request) {
				okLogin(w, r)
				chunk := []byte(strings.Repeat("x", 32<<10))
				for i := 0; i < 4096 && r.Context().Err() == nil; i++ { // 128 MiB at most
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			}},
		{n: 113, name: "huge response headers", dalogin: "login.example.com/login2.srf",
			login: func(w http.ResponseWriter, r *http.Request) {
				for i := 0; i < 200; i++ {
					w.Header().Add(fmt.Sprintf("X-Junk-%d", i), strings.Repeat("j", 4000))
				}
				okLogin(w, r)
			}, want: ErrMalformed},
		{n: 113, name: "reply that is not HTTP", dalogin: "login.example.com/login2.srf",
			login: rawReply("SSH-2.0-OpenSSH_9.6\r\n\x1b[2J\u202e\r\n\r\n"), want: ErrMalformed},
		{n: 113, name: "status line but broken header lines", dalogin: "login.example.com/login2.srf",
			login: rawReply("HTTP/1.1 200 OK\r\nAuthentication-Info Passport1.4 da-status=success\r\n\r\n"), want: ErrMalformed},
		{n: 113, name: "broken header line echoing the password", dalogin: "login.example.com/login2.srf",
			login: rawReply("HTTP/1.1 200 OK\r\nX-Echo " + fakePassword + "\r\n\r\n"), want: ErrMalformed},
		{n: 113, name: "login server hangs up without a reply", dalogin: "login.example.com/login2.srf",
			login: rawReply(""), wantAs: new(*NetError)},
		{n: 115, name: "password with a line break", dalogin: "login.example.com/login2.srf", login: okLogin,
			password: "hunter2\r\nX-Evil: 1", want: ErrBadCredentials},
		{n: 116, name: "challenge with pwd", dalogin: "login.example.com/login2.srf", login: okLogin,
			challenge: "lc=1033,pwd=x", want: ErrBadChallenge},
		{n: 116, name: "challenge of 20 KB", dalogin: "login.example.com/login2.srf", login: okLogin,
			challenge: "lc=" + strings.Repeat("1", 20<<10), want: ErrBadChallenge},
		{n: 116, name: "challenge with a line break", dalogin: "login.example.com/login2.srf", login: okLogin,
			challenge: "lc=1033\r\nX-Evil: 1", want: ErrBadChallenge},
		{n: 116, name: "failure text with terminal escapes", dalogin: "login.example.com/login2.srf",
			login: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("WWW-Authenticate", "Passport1.4 da-status=failed,cbtxt=Bad%20password%1B%5B31m%E2%80%AE"+
					encoded(fakePassword))
				w.WriteHeader(http.StatusUnauthorized)
			}, want: ErrAuthFailed},
	}
}

// rawReply answers with the bytes reply instead of an HTTP response, then
// closes the connection.
func rawReply(reply string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err) // the fake server speaks HTTP/1.1, which can be hijacked
		}
		defer conn.Close()
		_, _ = buf.WriteString(reply)
		_ = buf.Flush()
	}
}

// encoded percent-encodes s as a Passport server would in cbtxt.
func encoded(s string) string {
	var b strings.Builder
	writeEncoded(&b, s)
	return b.String()
}

// runPassportRow plays r and checks it.
func runPassportRow(t *testing.T, r passportRow) {
	t.Helper()
	fs := newFakeServer(t, nexusHandler(r.dalogin, r.login))
	c := fs.client(t, testNexus)
	if r.untrusted {
		c = New(testNexus, nil)
		addr := fs.srv.Listener.Addr().String()
		c.dial = func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		}
		t.Cleanup(c.CloseIdle)
	}
	password, challenge := fakePassword, testChallenge
	if r.password != "" {
		password = r.password
	}
	if r.challenge != "" {
		challenge = r.challenge
	}
	bound := passportRowBound
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	if r.deadline > 0 {
		cancel()
		bound = r.deadline + 500*time.Millisecond
		ctx, cancel = context.WithTimeout(context.Background(), r.deadline)
	}
	defer cancel()
	meter := msntest.StartAllocMeter()
	start := time.Now()
	tk, err := c.Login(ctx, "alice@example.com", secret.New(password), challenge)
	took := time.Since(start)
	allocated := meter.Bytes()

	switch {
	case r.wantAs != nil:
		if err == nil || !errors.As(err, r.wantAs) {
			t.Errorf("(E) err = %v, want a %T", err, r.wantAs)
		}
	case r.want == nil:
		if err != nil || tk.Reveal() != fakeTicket {
			t.Errorf("(E) err = %v, want the ticket", err)
		}
	case !errors.Is(err, r.want):
		t.Errorf("(E) err = %v, want %v", err, r.want)
	}
	if took > bound {
		t.Errorf("(T) Login took %v, bound %v", took, bound)
	}
	if got := allocated; got > 16<<20 {
		t.Errorf("(C) %d bytes allocated", got)
	}
	if err != nil {
		msg := err.Error()
		for _, s := range []string{password, encoded(password), fakeTicket, "s3cr3t", "hunter2"} {
			if strings.Contains(msg, s) {
				t.Errorf("(S) error holds a secret: %q", msg)
			}
		}
		for _, ch := range msg {
			if ch < ' ' || ch == 0x7f || ch >= 0x80 && ch < 0xa0 || ch >= 0x202a && ch <= 0x202e || ch >= 0x200b && ch <= 0x200f {
				t.Errorf("(D) error holds the raw character %U: %q", ch, msg)
				break
			}
		}
	}
	for _, req := range fs.requests() {
		if req.Auth != "" && (strings.HasPrefix(req.Host, evilHost) || req.Path == "/rdr/pprdr.asp") {
			t.Errorf("(S) the password header went to %s%s", req.Host, req.Path)
		}
	}
}

func TestHostilePassport(t *testing.T) {
	for _, r := range passportRows() {
		t.Run(fmt.Sprintf("%d %s", r.n, r.name), func(t *testing.T) { runPassportRow(t, r) })
	}
}
