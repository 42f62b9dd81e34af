package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"go.uber.org/goleak"

	"msn/keyring"
	"msn/proto/msntest"
	"msn/proto/server"
)

// stepTimeout bounds each wait of a script, and is the timeout every msn
// command of a script runs with (MSN_TIMEOUT): every step takes well under
// a second, so a stall fails the script instead of passing slowly.
const stepTimeout = 5 * time.Second

func TestMain(m *testing.M) {
	testscript.Main(leakChecked{m}, map[string]func(){"msn": main})
}

// leakChecked runs the tests, then fails the run if goroutines are left
// over. testscript.Main exits by itself, so goleak.VerifyTestMain, which
// also exits, cannot wrap it.
type leakChecked struct{ m *testing.M }

// Run runs the tests and checks for leaked goroutines once they passed.
func (l leakChecked) Run() int {
	code := l.m.Run()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: errors on successful test run: %v\n", err)
			return 1
		}
	}
	return code
}

// scriptDir holds the end-to-end scripts.
const scriptDir = "commands/testdata/script"

// TestScripts runs the end-to-end scripts in commands/testdata/script,
// each against its own local server, every command in a session of its
// own: the [shared] lines do not run.
func TestScripts(t *testing.T) {
	testscript.Run(t, scriptParams(false))
}

// TestScriptsShared runs the scripts that have [shared] lines again,
// with those lines: an msn up holds the session of the accounts they
// name, and the same commands, giving the same output and exit codes,
// run through it. Every other script says why it runs alone only.
func TestScriptsShared(t *testing.T) {
	p := scriptParams(true)
	p.Dir = ""
	entries, err := os.ReadDir(scriptDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := filepath.Join(scriptDir, e.Name())
		b, err := os.ReadFile(name)
		switch {
		case err != nil:
			t.Fatal(err)
		case bytes.Contains(b, []byte("[shared]")):
			p.Files = append(p.Files, name)
		case !bytes.Contains(b, []byte("\n# alone only: ")):
			t.Errorf("%s has no [shared] line and no \"# alone only: REASON\" comment", name)
		}
	}
	if len(p.Files) == 0 {
		t.Fatal("no script has a [shared] line")
	}
	testscript.Run(t, p)
}

// scriptParams returns the parameters of the end-to-end scripts; shared
// makes the [shared] condition true.
func scriptParams(shared bool) testscript.Params {
	return testscript.Params{
		Dir:                 scriptDir,
		Setup:               setupWorld,
		RequireExplicitExec: true,
		Condition: func(cond string) (bool, error) {
			if cond == "shared" {
				return shared, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"exits":        cmdExits,
			"policy":       cmdPolicy,
			"passport":     cmdPassport,
			"nosecrets":    cmdNoSecrets,
			"waitfile":     cmdWaitFile,
			"rawserver":    cmdRawServer,
			"hold":         cmdHold,
			"release":      cmdRelease,
			"fillgroups":   cmdFillGroups,
			"signedin":     cmdSignedIn,
			"waitgrep":     cmdWaitGrep,
			"online":       cmdOnline,
			"contact":      cmdContact,
			"held":         cmdHeld,
			"kick":         cmdKick,
			"clients":      cmdClients,
			"connectproxy": cmdConnectProxy,
			"proxied":      cmdProxied,
		},
	}
}

// world is the local MSN world of one script: the server, and an HTTPS
// proxy in front of its Passport endpoints that counts the requests that
// carry a nexus lookup or credentials.
type world struct {
	srv      *server.Server
	requests atomic.Int64
	work     string

	mu      sync.Mutex
	tickets map[string]bool
}

type worldKey struct{}

// setupWorld starts the server and the Passport proxy and points msn at
// them through the environment.
func setupWorld(env *testscript.Env) error {
	w := &world{work: env.WorkDir, tickets: map[string]bool{}}
	proxy := httptest.NewUnstartedServer(nil)
	presence := newPresenceLog()
	env.Values[presenceLogKey{}] = presence
	srv, err := server.New(server.Config{
		Host:           "127.0.0.1",
		Accounts:       server.DemoAccounts(),
		Policy:         server.SingleUse,
		AdvertiseLogin: proxy.Listener.Addr().String(),
		Log:            presence,
	})
	if err != nil {
		return err
	}
	if err := srv.Start(); err != nil {
		return err
	}
	env.Defer(func() { _ = srv.Close() })
	w.srv = srv

	nexus, err := url.Parse(srv.NexusURL())
	if err != nil {
		return err
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(srv.CACertPEM())
	target := &url.URL{Scheme: "https", Host: nexus.Host}
	transport := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}
	proxy.Config.Handler = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			if r.In.Method != http.MethodHead { // a connection warm-up, no credentials
				w.requests.Add(1)
			}
			r.SetURL(target)
		},
		Transport: transport,
	}
	proxy.StartTLS()
	env.Defer(func() {
		proxy.Close()
		transport.CloseIdleConnections()
	})

	ca := append(append([]byte(nil), srv.CACertPEM()...),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: proxy.Certificate().Raw})...)
	if err := os.WriteFile(filepath.Join(env.WorkDir, "ca.pem"), ca, 0o644); err != nil {
		return err
	}
	for _, a := range server.DemoAccounts() {
		local, _, _ := strings.Cut(a.Email, "@")
		if err := os.WriteFile(filepath.Join(env.WorkDir, local+".pw"), []byte(a.Password+"\n"), 0o600); err != nil {
			return err
		}
	}
	closed, err := closedAddr()
	if err != nil {
		return err
	}
	nexus.Host = proxy.Listener.Addr().String()
	env.Setenv("MSN_SERVER", srv.NSAddr())
	env.Setenv("MSN_NEXUS", nexus.String())
	env.Setenv("MSN_CA_FILE", filepath.Join(env.WorkDir, "ca.pem"))
	env.Setenv("MSN_KEYRING", "file")
	env.Setenv("XDG_STATE_HOME", filepath.Join(env.WorkDir, "state"))
	env.Setenv("HOME", env.WorkDir)
	env.Setenv("CLOSED_ADDR", closed)
	env.Setenv("NS_ADDR", srv.NSAddr())     // MSN_SERVER, for scripts that empty it
	env.Setenv("NEXUS_URL", nexus.String()) // MSN_NEXUS, likewise
	env.Setenv("MSN_TIMEOUT", stepTimeout.String())
	env.Setenv("NEXUS_DIRECT", srv.NexusURL())                  // the server's own nexus, not behind the counting proxy
	env.Setenv("PASSPORT_ADDR", proxy.Listener.Addr().String()) // host:port of the counting proxy
	env.Values[worldKey{}] = w
	env.Values[connectProxyKey{}] = &connectProxies{target: proxy.Listener.Addr().String()}
	return nil
}

// closedAddr returns a loopback address nothing listens on.
func closedAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}

// worldOf returns the world that setupWorld made for the script.
func worldOf(ts *testscript.TestScript) *world {
	return ts.Value(worldKey{}).(*world)
}

// cmdExits runs a command and checks its exit code: exits CODE cmd args...
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("exits: %v", err)
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

// cmdWaitFile waits up to stepTimeout for a file to appear: waitfile FILE.
func cmdWaitFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfile file")
	}
	deadline := time.Now().Add(stepTimeout)
	for {
		if _, err := os.Stat(ts.MkAbs(args[0])); err == nil {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("%s did not appear", args[0])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// cmdPolicy switches the server's ticket policy:
// policy single-use|reusable [LIFE].
func cmdPolicy(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: policy single-use|reusable [life]")
	}
	life := 24 * time.Hour
	if len(args) == 2 {
		d, err := time.ParseDuration(args[1])
		ts.Check(err)
		life = d
	}
	switch args[0] {
	case "single-use":
		worldOf(ts).srv.SetPolicy(server.SingleUse, life)
	case "reusable":
		worldOf(ts).srv.SetPolicy(server.Reusable, life)
	default:
		ts.Fatalf("policy: unknown %q", args[0])
	}
}

// cmdPassport checks how many Passport requests were made since the last
// check: passport N.
func cmdPassport(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: passport N")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	if got := worldOf(ts).requests.Swap(0); got != int64(want) {
		ts.Fatalf("%d Passport requests, want %d", got, want)
	}
}

// cmdNoSecrets fails when any of the named files contains a demo
// account's password or a ticket that has been saved in the file keyring
// during the script: nosecrets FILE...
func cmdNoSecrets(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: nosecrets file...")
	}
	w := worldOf(ts)
	secrets := w.collectSecrets(ts)
	for _, name := range args {
		b, err := os.ReadFile(ts.MkAbs(name))
		ts.Check(err)
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s.value)) {
				ts.Fatalf("%s contains %s", name, s.what)
			}
		}
	}
}

type knownSecret struct{ what, value string }

// collectSecrets returns the demo passwords and every ticket seen in the
// keyring file so far.
func (w *world) collectSecrets(ts *testscript.TestScript) []knownSecret {
	store, err := keyring.Open(keyring.Config{Mode: keyring.ModeFile, StateDir: filepath.Join(w.work, "state", "msn")})
	ts.Check(err)
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []knownSecret
	for _, a := range server.DemoAccounts() {
		out = append(out, knownSecret{"the password of " + a.Email, a.Password})
		if t, err := store.Account(a.Email, w.srv.NSAddr()).Ticket(); err == nil && !t.Value.Empty() {
			w.tickets[t.Value.Reveal()] = true
		}
	}
	if len(w.tickets) == 0 {
		ts.Fatalf("nosecrets: no ticket saved yet; nothing to look for")
	}
	i := 0
	for t := range w.tickets {
		i++
		out = append(out, knownSecret{fmt.Sprintf("ticket %d", i), t})
	}
	return out
}

// rawReplies are the canned behaviours of cmdRawServer: what it answers
// to the first line a client sends.
var rawReplies = map[string]string{
	"silent":    "",
	"oversize":  "VER 1 MSNP8 " + strings.Repeat("A", 20000) + "\r\n",
	"garbage":   "VER 1 MSNP8\r\nMSG a b xyz\r\n",
	"msnp7only": "VER 1 0 MSNP7 MSNP6 MSNP5\r\n",
}

// cmdRawServer starts a hostile notification server on loopback and puts
// its address in the named environment variable:
//
//	rawserver VAR silent|oversize|garbage|msnp7only
func cmdRawServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: rawserver VAR MODE")
	}
	reply, ok := rawReplies[args[1]]
	if !ok {
		ts.Fatalf("unknown mode %q", args[1])
	}
	addr, stop, err := msntest.ServeTCP(stepTimeout, func(c net.Conn) {
		buf := make([]byte, 4096)
		if _, err := c.Read(buf); err != nil {
			return
		}
		if reply != "" {
			_, _ = c.Write([]byte(reply))
		}
		_, _ = io.Copy(io.Discard, c)
	})
	ts.Check(err)
	ts.Defer(stop)
	ts.Setenv(args[0], addr)
}
