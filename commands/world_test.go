package commands

import (
	"context"
	"crypto/x509"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"msn/keyring"
	"msn/proto"
	"msn/proto/msntest"
	"msn/proto/passport"
	"msn/proto/secret"
	"msn/proto/server"
	"msn/proto/switchboard"
)

// testWorld is a local server with the demo accounts, for running
// commands in process: each Env it makes points at the server (or at
// proxies in front of it) with a file keyring in a temporary directory.
type testWorld struct {
	srv     *server.Server
	dir     string
	caFile  string
	nsAddr  string // where commands connect: the server, or a proxy
	nexus   string // the Passport nexus: the server's, or through a proxy
	timeout time.Duration
}

// newTestWorld starts a server from cfg (demo accounts and reusable
// tickets unless cfg says otherwise) and sets XDG_STATE_HOME for the
// test.
func newTestWorld(tb testing.TB, cfg server.Config) *testWorld {
	tb.Helper()
	w := startWorld(tb, cfg)
	tb.Setenv("XDG_STATE_HOME", filepath.Join(w.dir, "state"))
	tb.Setenv("XDG_RUNTIME_DIR", "") // session sockets under the state directory
	return w
}

// startWorld is newTestWorld without touching the environment, for
// tests that run worlds side by side.
func startWorld(tb testing.TB, cfg server.Config) *testWorld {
	tb.Helper()
	if cfg.Accounts == nil {
		cfg.Accounts = server.DemoAccounts()
		cfg.Policy = server.Reusable
	}
	srv, err := server.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { srv.Close() })
	dir := tb.TempDir()
	w := &testWorld{srv: srv, dir: dir, caFile: filepath.Join(dir, "ca.pem"), nsAddr: srv.NSAddr(), nexus: srv.NexusURL(), timeout: 30 * time.Second}
	if err := srv.WriteCA(w.caFile); err != nil {
		tb.Fatal(err)
	}
	for _, a := range cfg.Accounts {
		if err := os.WriteFile(w.passwordFile(a.Email), []byte(a.Password+"\n"), 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	return w
}

// passwordFile is where the password of account is.
func (w *testWorld) passwordFile(account string) string {
	return filepath.Join(w.dir, short(account)+".pw")
}

// env returns an Env acting as account with the global options set, as
// parseGlobals would, over the given stdin and fresh output buffers.
func (w *testWorld) env(account string, stdin io.Reader) (*Env, *msntest.SyncBuffer, *msntest.SyncBuffer) {
	stdout, stderr := &msntest.SyncBuffer{}, &msntest.SyncBuffer{}
	env := &Env{Stdout: stdout, Stderr: stderr, Stdin: stdin}
	env.opts = globalOptions{
		Account: account, Server: w.nsAddr, Nexus: w.nexus, Protocol: proto.MSNP8,
		CAFile: w.caFile, Keyring: keyring.ModeFile, Timeout: w.timeout, AllowPrivate: true,
		explicit: map[string]bool{"server": true, "nexus": true, "ca-file": true, "protocol": true, "keyring": true},
	}
	return env, stdout, stderr
}

// session returns the password flags of account.
func (w *testWorld) session(account string) sessionOptions {
	return sessionOptions{Password: passwordSources{File: w.passwordFile(account)}}
}

// listen runs msn listen as account on its own goroutine until ctx ends
// or the listen does, and returns once it is online; wait returns its
// error.
func (w *testWorld) listen(ctx context.Context, account string, opts listenOptions) (out *msntest.SyncBuffer, wait func() error) {
	return w.listenAs(ctx, account, opts, false)
}

// listenJSON is listen with --json.
func (w *testWorld) listenJSON(ctx context.Context, account string, opts listenOptions) (out *msntest.SyncBuffer, wait func() error) {
	return w.listenAs(ctx, account, opts, true)
}

// listenAs runs msn listen as account, printing JSON when asJSON.
func (w *testWorld) listenAs(ctx context.Context, account string, opts listenOptions, asJSON bool) (out *msntest.SyncBuffer, wait func() error) {
	out, _, wait = w.listenFull(ctx, account, opts, asJSON)
	return out, wait
}

// listening runs msn listen as account until the end of the test, and
// returns once it is online.
func (w *testWorld) listening(tb testing.TB, account string) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	_, wait := w.listen(ctx, account, listenOptions{})
	tb.Cleanup(func() {
		cancel()
		_ = wait()
	})
}

// testPeer is a demo account signed in through proto, which answers
// every invitation and records the texts it receives.
type testPeer struct {
	res *proto.LoginResult
	// also, when set, makes a second handler for each conversation; its
	// argument returns the conversation once answered.
	also func(sb func() *switchboard.Switchboard) func(switchboard.Event)

	mu   sync.Mutex
	sbs  []*switchboard.Switchboard
	got  []string
	wake chan struct{}
	wg   sync.WaitGroup
	stop chan struct{}
}

// peer signs account in and sets it online.
func (w *testWorld) peer(tb testing.TB, account string) *testPeer {
	tb.Helper()
	return w.peerWith(tb, account, nil)
}

// peerWith is peer with a second handler for each conversation (see
// testPeer.also).
func (w *testWorld) peerWith(tb testing.TB, account string, also func(sb func() *switchboard.Switchboard) func(switchboard.Event)) *testPeer {
	tb.Helper()
	ca, err := os.ReadFile(w.caFile)
	if err != nil {
		tb.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(ca)
	pc := passport.New(w.srv.NexusURL(), roots)
	defer pc.CloseIdle()
	var password string
	for _, a := range server.DemoAccounts() {
		if a.Email == account {
			password = a.Password
		}
	}
	p := &testPeer{wake: make(chan struct{}, 1), stop: make(chan struct{}), also: also}
	rings := make(chan *proto.Ring, 16)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p.res, err = proto.Login(ctx, proto.LoginConfig{
		Server: w.srv.NSAddr(), Email: account, Passport: pc,
		Password: func(context.Context) (secret.String, error) { return secret.New(password), nil },
		Options: proto.Options{Handler: func(ev proto.Event) {
			if r, ok := ev.(*proto.Ring); ok {
				rings <- r
			}
		}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	if err := p.res.NS.SetStatus(ctx, proto.StatusOnline); err != nil {
		tb.Fatal(err)
	}
	p.wg.Add(1)
	go p.answer(rings)
	return p
}

// answer answers rings until the peer closes.
func (p *testPeer) answer(rings <-chan *proto.Ring) {
	defer p.wg.Done()
	for {
		select {
		case r := <-rings:
			answered := make(chan struct{})
			var sb *switchboard.Switchboard
			handler := p.event
			if p.also != nil {
				more := p.also(func() *switchboard.Switchboard { <-answered; return sb })
				handler = func(ev switchboard.Event) { p.event(ev); more(ev) }
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			var err error
			sb, err = switchboard.Answer(ctx, p.res.NS, r, switchboard.Options{Handler: handler})
			close(answered)
			cancel()
			if err == nil {
				p.mu.Lock()
				p.sbs = append(p.sbs, sb)
				p.mu.Unlock()
			}
		case <-p.stop:
			return
		}
	}
}

// event records texts.
func (p *testPeer) event(ev switchboard.Event) {
	if m, ok := ev.(*switchboard.IncomingMessage); ok {
		p.mu.Lock()
		p.got = append(p.got, m.Text)
		p.mu.Unlock()
		select {
		case p.wake <- struct{}{}:
		default:
		}
	}
}

// waitFor waits until n texts came and returns them.
func (p *testPeer) waitFor(tb testing.TB, n int) []string {
	tb.Helper()
	deadline := time.After(5 * time.Second)
	for {
		p.mu.Lock()
		got := append([]string(nil), p.got...)
		p.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-p.wake:
		case <-deadline:
			tb.Fatalf("got %d texts, want %d: %q", len(got), n, got)
		}
	}
}

// leaveAll leaves every conversation; with wait, it first waits a
// little for one whose answer is still on its way.
func (p *testPeer) leaveAll(wait bool) {
	deadline := time.Now().Add(5 * time.Second)
	p.mu.Lock()
	for wait && len(p.sbs) == 0 && time.Now().Before(deadline) {
		p.mu.Unlock()
		time.Sleep(time.Millisecond)
		p.mu.Lock()
	}
	sbs := p.sbs
	p.sbs = nil
	p.mu.Unlock()
	for _, sb := range sbs {
		_ = sb.Leave(context.Background())
	}
}

// close leaves and signs out.
func (p *testPeer) close() {
	close(p.stop)
	p.wg.Wait()
	p.leaveAll(false)
	_ = p.res.NS.Logout(context.Background())
}
