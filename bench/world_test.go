package bench

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"msn/commands/session/share"
	"msn/proto/msntest"
	"msn/proto/server"
)

// commandTimeout bounds one msn process: every one the tests and
// benchmarks run takes well under a second.
const commandTimeout = 10 * time.Second

// alice is the account whose commands are measured; bob is her contact.
const (
	alice = "alice@example.com"
	bob   = "bob@example.com"
)

// procWorld is a local server with the demo accounts and one ticket
// policy, reached only through latency proxies, and a temporary home for
// msn processes (state, session sockets, the server's CA certificate and
// alice's password file).
type procWorld struct {
	*msntest.LatencyWorld
	bin    string
	dir    string
	caFile string
	pwFile string
	run    string // XDG_RUNTIME_DIR: the session sockets are under run/msn
}

// newProcWorld starts a server with the given ticket policy behind
// proxies that add oneWay each way, and builds msn if it is not built.
func newProcWorld(tb testing.TB, policy server.TicketPolicy, oneWay time.Duration) *procWorld {
	tb.Helper()
	bin := msnBinary(tb)
	lw := msntest.NewLatencyWorld(tb, server.Config{Accounts: server.DemoAccounts(), Policy: policy}, oneWay)
	dir := tb.TempDir()
	w := &procWorld{LatencyWorld: lw, bin: bin, dir: dir, caFile: filepath.Join(dir, "ca.pem"),
		pwFile: filepath.Join(dir, "alice.pw"), run: filepath.Join(dir, "run")}
	if err := lw.Server.WriteCA(w.caFile); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(w.pwFile, []byte("alicepass\n"), 0o600); err != nil {
		tb.Fatal(err)
	}
	if err := os.Mkdir(w.run, 0o700); err != nil {
		tb.Fatal(err)
	}
	return w
}

// environ is the environment of msn processes: no MSN_ variable of the
// caller's, a home, state and socket directory of the world's own.
func (w *procWorld) environ() []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + w.dir,
		"XDG_STATE_HOME=" + filepath.Join(w.dir, "state"),
		"XDG_CONFIG_HOME=" + filepath.Join(w.dir, "config"),
		"XDG_RUNTIME_DIR=" + w.run,
	}
}

// globals are the global flags that point msn at the world as alice,
// without --ca-file.
func (w *procWorld) globals() []string {
	return []string{"--account", alice, "--server", w.NS.Addr(), "--nexus", w.NexusURL(),
		"--keyring", "file", "--allow-private-servers", "--timeout", (commandTimeout / 2).String()}
}

// command returns msn with the world's global flags, --ca-file when
// withCA, then args.
func (w *procWorld) command(ctx context.Context, withCA bool, args ...string) *exec.Cmd {
	all := w.globals()
	if withCA {
		all = append(all, "--ca-file", w.caFile)
	}
	cmd := exec.CommandContext(ctx, w.bin, append(all, args...)...)
	cmd.Env = w.environ()
	cmd.Dir = w.dir
	return cmd
}

// msn runs msn as alice to its exit and returns its standard output; a
// non-zero exit fails tb. The output goes to files, not pipes, so that
// the command is over when the process is: the round trips counted when
// msn returns are those of the command (see roundTripDelay).
func (w *procWorld) msn(tb testing.TB, withCA bool, args ...string) string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	stdout, err := os.CreateTemp(w.dir, "stdout-")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.Remove(stdout.Name())
	defer stdout.Close()
	stderr, err := os.CreateTemp(w.dir, "stderr-")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.Remove(stderr.Name())
	defer stderr.Close()
	cmd := w.command(ctx, withCA, args...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		errText, _ := os.ReadFile(stderr.Name())
		tb.Fatalf("msn %s: %v; stderr: %s", strings.Join(args, " "), err, errText)
	}
	out, err := os.ReadFile(stdout.Name())
	if err != nil {
		tb.Fatal(err)
	}
	return string(out)
}

// status runs msn status as alice and checks that it lists bob.
func (w *procWorld) status(tb testing.TB, withCA bool) {
	tb.Helper()
	if out := w.msn(tb, withCA, "status"); !strings.Contains(out, bob) {
		tb.Fatalf("msn status: no %s in %q", bob, out)
	}
}

// send runs msn send of "ping" from alice to bob.
func (w *procWorld) send(tb testing.TB, withCA bool) {
	tb.Helper()
	if out := w.msn(tb, withCA, "send", bob, "ping"); !strings.Contains(out, "sent to "+bob) {
		tb.Fatalf("msn send: %q", out)
	}
}

// hold runs msn up as alice until the end of the test, and returns once
// its session is served, with the list synced and the presence set.
func (w *procWorld) hold(tb testing.TB) {
	tb.Helper()
	var stderr bytes.Buffer
	cmd := w.command(context.Background(), true, "up", "--password-file", w.pwFile)
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	tb.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		select {
		case err := <-done:
			if err != nil {
				tb.Errorf("msn up: %v; stderr: %s", err, stderr.String())
			}
		case <-time.After(commandTimeout):
			_ = cmd.Process.Kill()
			<-done
			tb.Errorf("msn up did not stop when interrupted")
		}
	})
	path := share.SocketPath(filepath.Join(w.run, "msn"), w.NS.Addr(), alice)
	deadline := time.Now().Add(commandTimeout)
	for !settled(path) {
		if time.Now().After(deadline) {
			tb.Fatalf("msn up did not hold the session within %v", commandTimeout)
		}
		select {
		case err := <-done:
			done <- err
			tb.Fatalf("msn up ended: %v; stderr: %s", err, stderr.String())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// settled reports whether a holder serves the session at path with its
// list synced and its presence set, so that it is quiet until asked.
func settled(path string) bool {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	cl, err := share.Dial(ctx, path, share.DialOptions{})
	if err != nil {
		return false
	}
	defer cl.Close()
	return cl.Welcome().Status != ""
}

// statusPassword runs msn status as alice with her password file, as a
// cron job does when the server's tickets serve once; it caches the
// ticket (which a server of single-use tickets takes back), the server
// and the list.
func (w *procWorld) statusPassword(tb testing.TB) {
	tb.Helper()
	if out := w.msn(tb, true, "status", "--password-file", w.pwFile); !strings.Contains(out, bob) {
		tb.Fatalf("msn status: no %s in %q", bob, out)
	}
}

// sendPassword runs msn send of "ping" from alice to bob with her
// password file.
func (w *procWorld) sendPassword(tb testing.TB) {
	tb.Helper()
	if out := w.msn(tb, true, "send", "--password-file", w.pwFile, bob, "ping"); !strings.Contains(out, "sent to "+bob) {
		tb.Fatalf("msn send: %q", out)
	}
}
