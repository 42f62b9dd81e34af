package passport

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"msn/proto/msntest"
	"msn/proto/secret"
)

const (
	proxyUser     = "proxyuser"
	proxyPassword = "Pr0xy-Pa55"
)

// proxied returns a client of fs whose names under example.com reach
// fs when dialled directly; the proxy's own loopback address is dialled
// as it is.
func proxied(t *testing.T, fs *fakeServer) *Client {
	t.Helper()
	c := fs.client(t, testNexus)
	target := fs.srv.Listener.Addr().String()
	c.dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		if host, _, _ := net.SplitHostPort(addr); strings.HasSuffix(host, "example.com") {
			addr = target
		}
		return d.DialContext(ctx, network, addr)
	}
	return c
}

// startProxy starts a CONNECT proxy to fs that wants the test
// credentials.
func startProxy(t *testing.T, fs *fakeServer) *msntest.ConnectProxy {
	t.Helper()
	p, err := msntest.StartConnectProxy(fs.srv.Listener.Addr().String(), proxyUser, proxyPassword, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// noProxySecret fails when text holds the proxy's credentials.
func noProxySecret(t *testing.T, text string) {
	t.Helper()
	for _, s := range []string{proxyPassword, proxyUser, "UHJveHk"} {
		if strings.Contains(text, s) {
			t.Fatalf("%q shows the proxy credentials", text)
		}
	}
}

func TestLoginThroughProxy(t *testing.T) {
	fs := newFakeServer(t, nexusHandler("login.example.com/login2.srf", okLogin))
	p := startProxy(t, fs)
	c := proxied(t, fs)
	c.Proxy = http.ProxyURL(&url.URL{Scheme: "http", User: url.UserPassword(proxyUser, proxyPassword), Host: p.Addr})
	tk, err := c.Login(context.Background(), "a@example.com", secret.New(fakePassword), testChallenge)
	if err != nil || tk.Reveal() != fakeTicket {
		t.Fatalf("login through the proxy: %v", err)
	}
	asked := p.Asked()
	if !slices.Contains(asked, "nexus.example.com:443") || !slices.Contains(asked, "login.example.com:443") {
		t.Fatalf("the proxy tunnelled %q, want the nexus and the login server", asked)
	}
}

func TestProxyCredentialsNeverShown(t *testing.T) {
	fs := newFakeServer(t, nexusHandler("login.example.com/login2.srf", okLogin))
	p := startProxy(t, fs)
	closed := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().String()
	}()
	for name, proxy := range map[string]func(*http.Request) (*url.URL, error){
		"wrong password": http.ProxyURL(&url.URL{Scheme: "http", User: url.UserPassword(proxyUser, proxyPassword+"x"), Host: p.Addr}),
		"proxy down":     http.ProxyURL(&url.URL{Scheme: "http", User: url.UserPassword(proxyUser, proxyPassword), Host: closed}),
		"socks":          http.ProxyURL(&url.URL{Scheme: "socks5", User: url.UserPassword(proxyUser, proxyPassword), Host: p.Addr}),
		"bad setting": func(*http.Request) (*url.URL, error) {
			return nil, errors.New(`invalid proxy address "http://` + proxyUser + ":" + proxyPassword + `@bad host"`)
		},
	} {
		t.Run(name, func(t *testing.T) {
			c := proxied(t, fs)
			c.Proxy = proxy
			_, err := c.Login(context.Background(), "a@example.com", secret.New(fakePassword), testChallenge)
			var pe *ProxyError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ProxyError", err)
			}
			noProxySecret(t, err.Error())
			noLeak(t, err)
		})
	}
	if p.Refused() == 0 {
		t.Error("the proxy refused nothing: the wrong password was not tried")
	}
	if n := len(fs.requests()); n != 0 {
		t.Errorf("%d requests reached the server around the proxy", n)
	}
}

// proxyEnvChild names the case TestProxyFromEnvironment runs in a child
// process: http.ProxyFromEnvironment reads the environment once per
// process.
const proxyEnvChild = "MSN_TEST_PROXY_ENV_CHILD"

// TestProxyFromEnvironment checks, in a process of its own each, that
// New honours HTTPS_PROXY (the proxy is used, with the credentials of
// its URL) and NO_PROXY (the proxy is bypassed).
func TestProxyFromEnvironment(t *testing.T) {
	if c := os.Getenv(proxyEnvChild); c != "" {
		proxyEnvCase(t, c)
		return
	}
	for _, c := range []string{"proxied", "no_proxy"} {
		t.Run(c, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestProxyFromEnvironment$", "-test.count=1")
			cmd.Env = append(os.Environ(), proxyEnvChild+"="+c)
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(out), "PASS") {
				t.Fatalf("child %s: %v\n%s", c, err, out)
			}
			noProxySecret(t, string(out))
		})
	}
}

// proxyEnvCase runs one case in the child: it starts the server and the
// proxy, sets the environment before anything reads it, and logs in.
func proxyEnvCase(t *testing.T, name string) {
	for _, v := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "REQUEST_METHOD"} {
		os.Unsetenv(v)
	}
	fs := newFakeServer(t, nexusHandler("login.example.com/login2.srf", okLogin))
	p := startProxy(t, fs)
	os.Setenv("HTTPS_PROXY", "http://"+proxyUser+":"+proxyPassword+"@"+p.Addr)
	if name == "no_proxy" {
		os.Setenv("NO_PROXY", "example.com")
	}
	c := proxied(t, fs)
	if c.Proxy == nil {
		t.Fatal("New set no proxy function")
	}
	tk, err := c.Login(context.Background(), "a@example.com", secret.New(fakePassword), testChallenge)
	if err != nil || tk.Reveal() != fakeTicket {
		t.Fatalf("login: %v", err)
	}
	asked := p.Asked()
	switch name {
	case "proxied":
		if !slices.Contains(asked, "nexus.example.com:443") || !slices.Contains(asked, "login.example.com:443") {
			t.Fatalf("the proxy tunnelled %q, want the nexus and the login server", asked)
		}
	case "no_proxy":
		if len(asked) != 0 {
			t.Fatalf("NO_PROXY=example.com, yet the proxy tunnelled %q", asked)
		}
	default:
		t.Fatalf("unknown case %q", name)
	}
}
