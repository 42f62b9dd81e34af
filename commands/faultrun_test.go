package commands

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"msn/keyring"
	"msn/proto/msnftp"
	"msn/proto/msntest"
	"msn/proto/server"
	"msn/proto/switchboard"
)

// faultRun is one row under way: a server of its own, the proxy on the
// row's connection, and the peers the command talks to.
type faultRun struct {
	t     *testing.T
	row   faultRow
	w     *testWorld
	proxy *msntest.FaultProxy
	dir   string         // recvfile's directory, sendfile's file's
	peers sync.WaitGroup // the peers' goroutines
}

// newFaultRun starts the row's server and proxy; both stop, and the
// peers' goroutines end, when the row does.
func newFaultRun(t *testing.T, row faultRow) *faultRun {
	f := &faultRun{t: t, row: row, w: startWorld(t, server.Config{}), dir: t.TempDir()}
	p, err := msntest.NewFaultProxy("", row.rule)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.Close()
		f.peers.Wait()
	})
	f.proxy = p
	switch row.hop {
	case hopNS:
		p.SetTarget(f.w.srv.NSAddr())
	case hopSB:
		p.SetTarget(f.w.srv.SBAddr())
	}
	return f
}

// env returns an Env acting as account whose connection of the row's
// hop goes through the proxy (when through is set).
func (f *faultRun) env(account string, stdin io.Reader, through bool) (*Env, *msntest.SyncBuffer, *msntest.SyncBuffer) {
	env, stdout, stderr := f.w.env(account, stdin)
	env.opts.Timeout, env.opts.Keyring = faultTimeout, keyring.ModeNone
	if !through {
		return env, stdout, stderr
	}
	switch f.row.hop {
	case hopNS:
		env.opts.Server = f.proxy.Addr()
	case hopSB:
		sb := f.w.srv.SBAddr()
		env.dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
			if samePort(addr, sb) {
				addr = f.proxy.Addr()
			}
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		}
	}
	return env, stdout, stderr
}

// samePort reports whether two loopback addresses name the same port.
func samePort(a, b string) bool {
	_, pa, _ := net.SplitHostPort(a)
	_, pb, _ := net.SplitHostPort(b)
	return pa != "" && pa == pb
}

// command runs the row's command until it ends, or interrupts it
// faultOverrun past its bound.
func (f *faultRun) command() faultResult {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdin io.Reader = strings.NewReader("")
	if f.row.cmd == "send-i" {
		stdin = strings.NewReader("one\ntwo\n")
	}
	account := "alice@example.com"
	if f.row.cmd == "listen" || f.row.cmd == "recvfile" {
		account = "bob@example.com"
	}
	env, stdout, stderr := f.env(account, stdin, true)
	ready := make(chan struct{})
	run := f.runner(env, account, func() { close(ready) })
	if f.row.cmd != "listen" && f.row.cmd != "recvfile" {
		f.peer(ctx) // online before the command looks
	}
	start := time.Now()
	stop := time.AfterFunc(f.row.bound+faultMargin+faultOverrun, cancel)
	defer stop.Stop()
	done := make(chan error, 1)
	go func() { done <- run(ctx) }()
	select {
	case <-ready:
		if f.row.cmd == "recvfile" {
			f.peer(ctx)
		}
	case err := <-done:
		done <- err
	}
	err := <-done
	res := faultResult{took: f.since(start), code: env.Report(err), stdout: stdout.String()}
	res.stderr = stderrLines(stderr.String())
	return res
}

// runner returns the row's command; ready is called once a command that
// stays online is online.
func (f *faultRun) runner(env *Env, account string, ready func()) func(context.Context) error {
	sess := f.w.session(account)
	switch f.row.cmd {
	case "login":
		return func(ctx context.Context) error { return runLogin(ctx, env, loginOptions{Session: sess}) }
	case "status", "status-watch":
		o := statusOptions{Password: sess.Password, Watch: f.row.cmd == "status-watch"}
		return func(ctx context.Context) error { return runStatus(ctx, env, o) }
	case "send", "send-i":
		o := sendOptions{Recipients: []string{"bob@example.com"}, Text: "hello", HasText: f.row.cmd == "send",
			Interactive: f.row.cmd == "send-i", Window: sendWindow, Session: sess}
		return func(ctx context.Context) error { return runSend(ctx, env, o) }
	case "listen":
		o := listenOptions{Session: sess, onReady: ready}
		return func(ctx context.Context) error { return runListen(ctx, env, o) }
	case "sendfile":
		path := filepath.Join(f.dir, "notes.txt")
		if err := os.WriteFile(path, make([]byte, faultFileSize), 0o600); err != nil {
			f.t.Fatal(err)
		}
		o := sendfileOptions{To: "bob@example.com", Path: path, Wait: faultTimeout, Session: sess, deadlines: faultTransfer}
		return func(ctx context.Context) error { return runSendfile(ctx, env, o) }
	case "recvfile":
		o := recvfileOptions{Dir: f.dir, Count: 1, Idle: faultTimeout, MaxSize: 1 << 30, Session: sess,
			deadlines: faultTransfer, onReady: ready}
		return func(ctx context.Context) error { return runRecvfile(ctx, env, o) }
	}
	f.t.Fatalf("no command %q", f.row.cmd)
	return nil
}

// peer starts what the command's contact does: bob answers send and
// receives sendfile's file; alice offers recvfile a file. Its
// goroutines end with ctx, or with the row.
func (f *faultRun) peer(ctx context.Context) {
	switch f.row.cmd {
	case "send", "send-i":
		bob := f.w.peer(f.t, "bob@example.com")
		f.t.Cleanup(bob.close)
	case "sendfile":
		bob := f.w.filePeer(f.t, "bob@example.com")
		f.t.Cleanup(bob.close)
		f.spawn(func() { f.receiveOffer(ctx, bob) })
	case "recvfile":
		alice := f.w.peer(f.t, "alice@example.com")
		f.t.Cleanup(alice.close)
		f.spawn(func() { f.offerFile(ctx, alice) })
	}
}

// spawn runs fn on a goroutine the row waits for.
func (f *faultRun) spawn(fn func()) {
	f.peers.Add(1)
	go func() {
		defer f.peers.Done()
		fn()
	}()
}

// receiveOffer has bob accept sendfile's offer and receive the file,
// through the proxy on an MSNFTP row.
func (f *faultRun) receiveOffer(ctx context.Context, bob *offerPeer) {
	var o offerAt
	select {
	case o = <-bob.offers:
	case <-ctx.Done():
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 4*faultTimeout)
	defer cancel()
	src, err := o.sb.AcceptFile(ctx, o.inv)
	if err != nil || len(src.Addrs) == 0 {
		return
	}
	addr := src.Addrs[0]
	if f.row.hop == hopFTP {
		f.proxy.SetTarget(addr)
		addr = f.proxy.Addr()
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return
	}
	defer conn.Close()
	_, _ = msnftp.Receive(ctx, conn, msnftp.Transfer{Handle: "bob@example.com", Cookie: src.AuthCookie, Size: o.inv.Size},
		io.Discard, faultPeerTransfer)
}

// offerFile has alice offer recvfile a file and send it, through the
// proxy on an MSNFTP row.
func (f *faultRun) offerFile(ctx context.Context, alice *testPeer) {
	ctx, cancel := context.WithTimeout(ctx, 4*faultTimeout)
	defer cancel()
	sa, err := switchboard.Open(ctx, alice.res.NS, switchboard.Options{})
	if err != nil {
		return
	}
	defer sa.Close()
	if err := sa.Invite(ctx, "bob@example.com"); err != nil {
		return
	}
	o, err := sa.OfferFile(ctx, "bob@example.com", "notes.txt", faultFileSize)
	if err != nil {
		return
	}
	defer o.Close()
	if _, err := o.Wait(ctx); err != nil {
		return
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return
	}
	defer ln.Close()
	addr := ln.Addr().String()
	if f.row.hop == hopFTP {
		f.proxy.SetTarget(addr)
		addr = f.proxy.Addr()
	}
	port := netip.MustParseAddrPort(addr).Port()
	if err := o.SendAddress(ctx, netip.MustParseAddr("127.0.0.1"), port, "4242"); err != nil {
		return
	}
	_ = msnftp.Send(ctx, ln, msnftp.Transfer{Handle: "bob@example.com", Cookie: "4242", Size: faultFileSize},
		bytes.NewReader(make([]byte, faultFileSize)), faultPeerTransfer)
}

// listenConversation runs listen as bob with its switchboard through
// the proxy, has alice send it a message, and waits until the message
// is printed, a line comes on stderr, listen ends, or faultOverrun past
// the bound; then it interrupts listen.
func (f *faultRun) listenConversation() faultResult {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env, stdout, stderr := f.env("bob@example.com", strings.NewReader(""), true)
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- runListen(ctx, env, listenOptions{Session: f.w.session("bob@example.com"), onReady: func() { close(ready) }})
	}()
	select {
	case <-ready:
	case err := <-done:
		return faultResult{code: env.Report(err), stderr: stderrLines(stderr.String())}
	}
	start := time.Now()
	alice, _, _ := f.env("alice@example.com", strings.NewReader(""), false)
	f.spawn(func() {
		_ = runSend(ctx, alice, sendOptions{Recipients: []string{"bob@example.com"}, Text: "hello", HasText: true,
			Window: sendWindow, Session: f.w.session("alice@example.com")})
	})
	deadline := start.Add(f.row.bound + faultMargin + faultOverrun)
	res := faultResult{running: true}
	for time.Now().Before(deadline) && len(stderrLines(stderr.String())) == 0 && !strings.Contains(stdout.String(), "hello") {
		select {
		case err := <-done:
			res.running, res.code = false, ExitCode(err)
			done <- err
			deadline = time.Now()
		case <-time.After(20 * time.Millisecond):
		}
	}
	res.took = f.since(start)
	time.Sleep(100 * time.Millisecond) // a second line would come now
	res.stdout, res.stderr = stdout.String(), stderrLines(stderr.String())
	cancel()
	if err := <-done; res.running && err != nil && ExitCode(err) != ExInterrupted {
		f.t.Errorf("listen interrupted: exit %d (%v)", ExitCode(err), err)
	}
	return res
}

// since returns the time from the first fault, or from start when none
// fired, until now.
func (f *faultRun) since(start time.Time) time.Duration {
	if at := f.proxy.FirstFault(); at.After(start) {
		start = at
	}
	return time.Since(start)
}

// stderrLines splits stderr into the lines it reports, leaving out the
// one a command that stays online prints once it is online; the hint
// Report may print under an error is part of that error's line.
func stderrLines(s string) []string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		switch {
		case l == "", strings.HasPrefix(l, "msn: listening as "), strings.HasPrefix(l, "msn: receiving files into "):
		case strings.HasPrefix(l, "msn: hint: ") && len(lines) > 0:
			lines[len(lines)-1] += "\n" + l
		default:
			lines = append(lines, l)
		}
	}
	return lines
}

// checkDir checks recvfile's directory: the whole file after a success,
// nothing at all after a failure (no part file, nothing under the final
// name).
func (f *faultRun) checkDir(code int) {
	left, err := os.ReadDir(f.dir)
	if err != nil {
		f.t.Fatal(err)
	}
	var names []string
	for _, e := range left {
		names = append(names, e.Name())
	}
	if code != ExOK {
		if len(names) != 0 {
			f.t.Errorf("left in the directory after a failure: %q", names)
		}
		return
	}
	if st, err := os.Stat(filepath.Join(f.dir, "notes.txt")); err != nil || st.Size() != faultFileSize || len(names) != 1 {
		f.t.Errorf("directory %q after a success; notes.txt: %v", names, err)
	}
}
