package passport

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"msn/proto/secret"
)

// TestHostPolicyPorts checks that the policy compares the port as well
// as the scheme and host, 443 standing for a URL that names none.
func TestHostPolicyPorts(t *testing.T) {
	cases := []struct {
		nexus      string
		loginHosts []string
		url        string
		ok         bool
	}{
		{"", nil, "https://login.passport.com/login2.srf", true},
		{"", nil, "https://login.passport.com:443/login2.srf", true},
		{"", nil, "https://login.passport.com:8443/login2.srf", false},
		{"", nil, "https://login.passport.com:0443/login2.srf", true},
		{"", nil, "https://login.passport.com:/login2.srf", false},
		{"", nil, "https://login.passport.com:99999/login2.srf", false},
		{"", []string{"login.passport.com:8443"}, "https://login.passport.com:8443/login2.srf", true},
		{"", []string{"login.passport.com"}, "https://login.passport.com:8443/login2.srf", false},
		{"", []string{"[::1]:8443"}, "https://[::1]:8443/login", true},
		{"", []string{"::1"}, "https://[::1]/login", true},
		{"", []string{"::1"}, "https://[::1]:8443/login", false},
		{"https://nexus.example.com/rdr", nil, "https://login.example.com/x", true},
		{"https://nexus.example.com/rdr", nil, "https://login.example.com:8443/x", false},
		{"https://nexus.example.com:8443/rdr", nil, "https://login.example.com:8443/x", true},
		{"https://nexus.example.com:8443/rdr", nil, "https://login.example.com/x", false},
		{"https://nexus.example.com:8443/rdr", nil, "https://nexus.example.com:8444/x", false},
		{"https://127.0.0.1:4443/rdr", nil, "https://127.0.0.1:4443/login", true},
		{"https://127.0.0.1:4443/rdr", nil, "https://127.0.0.1:4444/login", false},
		{"https://127.0.0.1:4443/rdr", []string{"127.0.0.1:4444"}, "https://127.0.0.1:4444/login", true},
	}
	for _, tc := range cases {
		c := New(tc.nexus, nil)
		c.LoginHosts = tc.loginHosts
		u, err := url.Parse(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.checkURL(u); (err == nil) != tc.ok {
			t.Errorf("nexus %q, login hosts %q: %s: err %v, want ok %v", tc.nexus, tc.loginHosts, tc.url, err, tc.ok)
		}
	}
}

// TestDALoginOnAnotherPort checks that a nexus naming a login server on
// its own host but another port is refused before any credentials go
// out, and that --login-host HOST:PORT lets it through.
func TestDALoginOnAnotherPort(t *testing.T) {
	fs := newFakeServer(t, nexusHandler("nexus.example.com:8443/login2.srf", okLogin))
	c := fs.client(t, testNexus)
	_, err := c.Login(context.Background(), "a@example.com", secret.New(fakePassword), testChallenge)
	if !errors.Is(err, ErrHostNotAllowed) {
		t.Fatalf("err = %v, want ErrHostNotAllowed", err)
	}
	noLeak(t, err)
	for _, r := range fs.requests() {
		if r.Auth != "" {
			t.Fatalf("credentials sent to %s%s", r.Host, r.Path)
		}
	}

	c = fs.client(t, testNexus)
	c.LoginHosts = []string{"nexus.example.com:8443"}
	tk, err := c.Login(context.Background(), "a@example.com", secret.New(fakePassword), testChallenge)
	if err != nil || tk.Reveal() != fakeTicket {
		t.Fatalf("allowed host:port: err %v", err)
	}
}

func TestParseLoginHost(t *testing.T) {
	for in, want := range map[string]struct {
		host string
		port int
		ok   bool
	}{
		"Login.Example.NET":   {"login.example.net", 443, true},
		"login.example.net.":  {"login.example.net", 443, true},
		"127.0.0.1:8443":      {"127.0.0.1", 8443, true},
		"[::1]:8443":          {"::1", 8443, true},
		"::1":                 {"::1", 443, true},
		"host:0":              {"", 0, false},
		"host:65536":          {"", 0, false},
		"host:":               {"", 0, false},
		"host:https":          {"", 0, false},
		"bad host":            {"", 0, false},
		"":                    {"", 0, false},
		"evil.test\u202e:443": {"", 0, false},
	} {
		h, p, err := ParseLoginHost(in)
		if (err == nil) != want.ok || h != want.host || p != want.port {
			t.Errorf("ParseLoginHost(%q) = %q, %d, %v; want %q, %d, ok %v", in, h, p, err, want.host, want.port, want.ok)
		}
	}
}
