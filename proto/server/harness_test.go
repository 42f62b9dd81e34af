package server_test

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"msn/proto/server"
)

// stepTimeout bounds each read, write and request of a test: on loopback
// a step takes milliseconds, so a stall fails instead of passing slowly.
const stepTimeout = 2 * time.Second

// fakeClock is a settable clock for ticket expiry.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// world is a started server with its clock and an HTTPS client trusting it.
type world struct {
	t     *testing.T
	srv   *server.Server
	clock *fakeClock
	http  *http.Client
}

func newWorld(t *testing.T, cfg server.Config) *world {
	t.Helper()
	return newWorldWith(t, cfg, nil)
}

// newWorldWith is newWorld with prep run on the server before it starts.
func newWorldWith(t *testing.T, cfg server.Config, prep func(*server.Server)) *world {
	t.Helper()
	if cfg.Accounts == nil {
		cfg.Accounts = server.DemoAccounts()
	}
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{t: time.Date(2026, 11, 22, 1, 37, 25, 0, time.UTC)}
	server.SetClock(srv, clock.Now)
	if prep != nil {
		prep(srv)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(srv.CACertPEM()) {
		t.Fatal("bad CA PEM")
	}
	w := &world{t: t, srv: srv, clock: clock, http: &http.Client{
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		Timeout:   stepTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
	t.Cleanup(w.close)
	return w
}

func (w *world) close() {
	w.http.CloseIdleConnections()
	if err := w.srv.Close(); err != nil {
		w.t.Error(err)
	}
}

// login runs the Passport exchange and returns the ticket.
func (w *world) login(email, pwd string) (string, int) {
	w.t.Helper()
	req, _ := http.NewRequest("GET", w.srv.LoginURL(), nil)
	req.Header.Set("Authorization", "Passport1.4 OrgVerb=GET,OrgURL=http%3A%2F%2Fmessenger%2Emsn%2Ecom,sign-in="+
		strings.ReplaceAll(email, "@", "%40")+",pwd="+pwd+",ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1")
	resp, err := w.http.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	resp.Body.Close()
	info := resp.Header.Get("Authentication-Info")
	_, t, _ := strings.Cut(info, "from-PP='")
	t, _, _ = strings.Cut(t, "'")
	return t, resp.StatusCode
}

// client is a raw MSNP test connection.
type client struct {
	t  *testing.T
	nc net.Conn
	br *bufio.Reader
}

func (w *world) dial(addr string) *client {
	w.t.Helper()
	nc, err := net.DialTimeout("tcp", addr, stepTimeout)
	if err != nil {
		w.t.Fatal(err)
	}
	c := &client{t: w.t, nc: nc, br: bufio.NewReader(nc)}
	w.t.Cleanup(func() { nc.Close() })
	return c
}

func (c *client) write(s string) {
	c.t.Helper()
	c.nc.SetWriteDeadline(time.Now().Add(stepTimeout))
	if _, err := io.WriteString(c.nc, s); err != nil {
		c.t.Fatalf("write %q: %v", s, err)
	}
}

func (c *client) send(line string) { c.t.Helper(); c.write(line + "\r\n") }

func (c *client) read() (string, error) {
	c.nc.SetReadDeadline(time.Now().Add(stepTimeout))
	l, err := c.br.ReadString('\n')
	if err != nil {
		return "", err
	}
	if !strings.HasSuffix(l, "\r\n") {
		c.t.Fatalf("line without CRLF: %q", l)
	}
	return strings.TrimSuffix(l, "\r\n"), nil
}

func (c *client) line() string {
	c.t.Helper()
	l, err := c.read()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return l
}

// expect reads one line and compares it with want.
func (c *client) expect(want string) {
	c.t.Helper()
	if got := c.line(); got != want {
		c.t.Fatalf("got %q, want %q", got, want)
	}
}

// exchange sends each step's line, when it has one, then expects its
// reply: {"", reply} is a line the server sends unasked.
func (c *client) exchange(steps [][2]string) {
	c.t.Helper()
	for _, s := range steps {
		if s[0] != "" {
			c.send(s[0])
		}
		c.expect(s[1])
	}
}

// expectPrefix reads a line starting with prefix and returns the rest.
func (c *client) expectPrefix(prefix string) string {
	c.t.Helper()
	got := c.line()
	rest, ok := strings.CutPrefix(got, prefix)
	if !ok {
		c.t.Fatalf("got %q, want prefix %q", got, prefix)
	}
	return rest
}

func (c *client) payload(n int) string {
	c.t.Helper()
	b := make([]byte, n)
	c.nc.SetReadDeadline(time.Now().Add(stepTimeout))
	if _, err := io.ReadFull(c.br, b); err != nil {
		c.t.Fatal(err)
	}
	return string(b)
}

// expectClosed checks that the server closes the connection.
func (c *client) expectClosed() {
	c.t.Helper()
	l, err := c.read()
	if err == nil {
		c.t.Fatalf("got %q, want close", l)
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		c.t.Fatal("connection still open")
	}
}

// quiet checks that nothing arrives for a short while.
func (c *client) quiet() {
	c.t.Helper()
	c.nc.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	l, err := c.br.ReadString('\n')
	if err == nil {
		c.t.Fatalf("unexpected %q", l)
	}
	if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
		c.t.Fatalf("unexpected error %v", err)
	}
}
