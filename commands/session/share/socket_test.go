//go:build linux

package share

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// shortDir returns a fresh directory with a short path: a Unix socket's
// path is limited to about 107 bytes, and t.TempDir's can be longer.
func shortDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "sh")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// testContext bounds one step of a test: a stall fails it.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestDir(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", "/run/user/1000")
	if d := Dir("/state"); d != "/run/user/1000/msn" {
		t.Errorf("Dir with XDG_RUNTIME_DIR: %s", d)
	}
	t.Setenv("XDG_RUNTIME_DIR", "relative")
	if d := Dir("/state"); d != "/state/run" {
		t.Errorf("Dir with a relative XDG_RUNTIME_DIR: %s", d)
	}
	t.Setenv("XDG_RUNTIME_DIR", "")
	if d := Dir("/state"); d != "/state/run" {
		t.Errorf("Dir without XDG_RUNTIME_DIR: %s", d)
	}
}

func TestSocketPath(t *testing.T) {
	a := SocketPath("/d", "ns.example.com:1863", "Alice@Example.com ")
	if a != SocketPath("/d", "ns.example.com:1863", "alice@example.com") {
		t.Error("the account's case or spaces change the socket")
	}
	if a == SocketPath("/d", "other.example.com:1863", "alice@example.com") ||
		a == SocketPath("/d", "ns.example.com:1863", "bob@example.com") {
		t.Error("two sessions share a socket")
	}
	if filepath.Dir(a) != "/d" || !strings.HasSuffix(a, ".sock") || len(filepath.Base(a)) > 24 {
		t.Errorf("socket path %s", a)
	}
}

func TestPermissions(t *testing.T) {
	for _, loose := range []bool{false, true} {
		dir := filepath.Join(shortDir(t), "run")
		if loose { // a directory others may use is tightened
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(dir, 0o777); err != nil { // past the umask
				t.Fatal(err)
			}
		}
		path := filepath.Join(dir, "s.sock")
		h, err := Serve(path, "test", newIdleBackend())
		if err != nil {
			t.Fatal(err)
		}
		checkMode(t, dir, 0o700)
		checkMode(t, path, 0o600)
		closeHolder(t, h, nil)
	}
}

func TestDirNotADirectory(t *testing.T) {
	file := filepath.Join(shortDir(t), "run")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if h, err := Serve(filepath.Join(file, "s.sock"), "test", newIdleBackend()); err == nil {
		closeHolder(t, h, nil)
		t.Fatal("served under a file")
	}
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s: mode %o, want %o", path, got, want)
	}
}

// staleSocket leaves a socket file at path that nothing listens on.
func staleSocket(t *testing.T, path string) {
	t.Helper()
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Lstat(path); err != nil {
		t.Fatalf("the stale socket is not there: %v", err)
	}
}

func TestDialNoSocket(t *testing.T) {
	_, err := Dial(testContext(t), filepath.Join(shortDir(t), "none.sock"), DialOptions{})
	if !errors.Is(err, ErrNoHolder) {
		t.Fatalf("Dial without a socket: %v", err)
	}
}

func TestDialStaleSocket(t *testing.T) {
	path := filepath.Join(shortDir(t), "s.sock")
	staleSocket(t, path)
	_, err := Dial(testContext(t), path, DialOptions{})
	if !errors.Is(err, ErrNoHolder) {
		t.Fatalf("Dial on a stale socket: %v", err)
	}
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the stale socket is still there: %v", err)
	}
}

func TestServeOverStaleSocket(t *testing.T) {
	path := filepath.Join(shortDir(t), "s.sock")
	staleSocket(t, path)
	h, err := Serve(path, "test", newIdleBackend())
	if err != nil {
		t.Fatalf("Serve over a stale socket: %v", err)
	}
	defer closeHolder(t, h, nil)
	cl, err := Dial(testContext(t), path, DialOptions{})
	if err != nil {
		t.Fatalf("Dial after serving over a stale socket: %v", err)
	}
	if err := cl.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

func TestServeHeld(t *testing.T) {
	path := filepath.Join(shortDir(t), "s.sock")
	h, err := Serve(path, "first", newIdleBackend())
	if err != nil {
		t.Fatal(err)
	}
	defer closeHolder(t, h, nil)
	if h2, err := Serve(path, "second", newIdleBackend()); !errors.Is(err, ErrHeld) {
		if err == nil {
			closeHolder(t, h2, nil)
		}
		t.Fatalf("Serve where a holder lives: %v", err)
	}
	// The first holder still serves.
	cl, err := Dial(testContext(t), path, DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := cl.Welcome().Holder.Command; got != "first" {
		t.Errorf("held by %q", got)
	}
	cl.Close()
}

func TestCloseRemovesSocket(t *testing.T) {
	path := filepath.Join(shortDir(t), "s.sock")
	h, err := Serve(path, "test", newIdleBackend())
	if err != nil {
		t.Fatal(err)
	}
	closeHolder(t, h, nil)
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the socket outlives its holder: %v", err)
	}
	if _, err := Dial(testContext(t), path, DialOptions{}); !errors.Is(err, ErrNoHolder) {
		t.Errorf("Dial after Close: %v", err)
	}
}

// socketPair returns the two ends of a Unix connection.
func socketPair(t *testing.T) (a, b *net.UnixConn) {
	t.Helper()
	path := filepath.Join(shortDir(t), "p.sock")
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	a, err = net.DialUnix("unix", nil, &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	b, err = ln.AcceptUnix()
	if err != nil {
		a.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}

func TestCheckPeer(t *testing.T) {
	a, b := socketPair(t)
	for _, c := range []*net.UnixConn{a, b} {
		uid, err := peerUID(c)
		if err != nil || uid != os.Getuid() {
			t.Fatalf("peerUID = %d, %v; want %d", uid, err, os.Getuid())
		}
		if err := checkPeer(c); err != nil {
			t.Errorf("checkPeer of this user: %v", err)
		}
		if err := checkPeerAs(c, os.Getuid()+1); !errors.Is(err, ErrForeignSocket) {
			t.Errorf("checkPeerAs of another user: %v", err)
		}
	}
}

func TestAcceptErrorsWorthRetrying(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&net.OpError{Op: "accept", Net: "unix", Err: os.NewSyscallError("accept4", syscall.EMFILE)}, true},
		{&net.OpError{Op: "accept", Net: "unix", Err: os.NewSyscallError("accept4", syscall.ENFILE)}, true},
		{&net.OpError{Op: "accept", Net: "unix", Err: os.NewSyscallError("accept4", syscall.ECONNABORTED)}, true},
		{&net.OpError{Op: "accept", Net: "unix", Err: os.ErrDeadlineExceeded}, true},
		{&net.OpError{Op: "accept", Net: "unix", Err: net.ErrClosed}, false},
		{&net.OpError{Op: "accept", Net: "unix", Err: os.NewSyscallError("accept4", syscall.EINVAL)}, false},
	} {
		if got := isTemporary(tc.err); got != tc.want {
			t.Errorf("isTemporary(%v) = %v", tc.err, got)
		}
	}
}

func TestConcurrentServeOverStaleSocket(t *testing.T) {
	// Two holders starting at once over a stale socket: one serves, the
	// other finds it held. Neither removes the other's socket.
	for i := range 20 {
		path := filepath.Join(shortDir(t), "s.sock")
		staleSocket(t, path)
		type result struct {
			h   *Holder
			err error
		}
		results := make(chan result, 3)
		start := make(chan struct{})
		for range 2 {
			go func() {
				<-start
				h, err := Serve(path, "up", newIdleBackend())
				results <- result{h, err}
			}()
		}
		go func() { // and a client tidying the stale socket
			<-start
			_, err := Dial(testContext(t), path, DialOptions{})
			if err != nil && !errors.Is(err, ErrNoHolder) {
				results <- result{nil, err}
				return
			}
			results <- result{}
		}()
		close(start)
		var held *Holder
		var heldErrs int
		for range 3 {
			select {
			case r := <-results:
				switch {
				case r.h != nil && held != nil:
					closeHolder(t, r.h, nil)
					t.Fatalf("round %d: two holders serve", i)
				case r.h != nil:
					held = r.h
				case errors.Is(r.err, ErrHeld):
					heldErrs++
				case r.err != nil:
					t.Fatalf("round %d: %v", i, r.err)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("round %d: a Serve or Dial did not return", i)
			}
		}
		if held == nil || heldErrs != 1 {
			t.Fatalf("round %d: holder %v, %d ErrHeld", i, held, heldErrs)
		}
		cl, err := Dial(testContext(t), path, DialOptions{})
		if err != nil {
			closeHolder(t, held, nil)
			t.Fatalf("round %d: the holder's socket is gone: %v", i, err)
		}
		cl.Close()
		closeHolder(t, held, nil)
	}
}
