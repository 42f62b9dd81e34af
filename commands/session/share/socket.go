package share

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// dialTimeout bounds connecting to a socket and reading its greeting: a
// live holder answers at once.
const dialTimeout = 2 * time.Second

// Dir returns the directory of the session sockets:
// $XDG_RUNTIME_DIR/msn when XDG_RUNTIME_DIR is an absolute path, else
// run/ under the state directory.
func Dir(stateDir string) string {
	if x := os.Getenv("XDG_RUNTIME_DIR"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "msn")
	}
	return filepath.Join(stateDir, "run")
}

// SocketPath returns the socket of account's session on server, in
// dir. The name is a digest, short enough for any socket path limit.
func SocketPath(dir, server, account string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(account)) + "\x00" + server))
	return filepath.Join(dir, hex.EncodeToString(sum[:8])+".sock")
}

// privateDir makes dir (0700) when it is missing and checks that it
// belongs to this user and that nobody else can use it.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("share: %w", err)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("share: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("share: %s is not a directory", dir)
	}
	if ownedByOther(fi) {
		return fmt.Errorf("%w: %s", ErrForeignSocket, dir)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("share: %w", err)
		}
	}
	return nil
}

// listen listens on path, replacing a stale socket there; ErrHeld when
// a live holder answers on it.
func listen(path string) (*net.UnixListener, error) {
	dir := filepath.Dir(path)
	if err := privateDir(dir); err != nil {
		return nil, err
	}
	// Under the lock, a socket found stale is not replaced by another
	// process between the check and the removal.
	unlock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	for range 2 {
		ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
		if err == nil {
			if err := os.Chmod(path, 0o600); err != nil {
				ln.Close()
				return nil, fmt.Errorf("share: %w", err)
			}
			return ln, nil
		}
		if !errors.Is(err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("share: %w", err)
		}
		if live(path) {
			return nil, ErrHeld
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("share: remove stale socket: %w", err)
		}
	}
	return nil, ErrHeld
}

// removeStale removes the socket at path, which refused a connection,
// unless a holder has started listening on a new one there since.
func removeStale(path string) {
	unlock, err := lockDir(filepath.Dir(path))
	if err != nil {
		return // not ours to tidy
	}
	defer unlock()
	if !live(path) {
		_ = os.Remove(path)
	}
}

// live reports whether something accepts connections on path.
func live(path string) bool {
	c, err := net.DialTimeout("unix", path, dialTimeout)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// connect connects to the socket at path and checks that its holder is
// this user. A missing socket, or a stale one (removed here), is
// ErrNoHolder.
func connect(ctx context.Context, path string) (*net.UnixConn, error) {
	var d net.Dialer
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	c, err := d.DialContext(ctx, "unix", path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, ErrNoHolder
	case errors.Is(err, syscall.ECONNREFUSED):
		removeStale(path)
		return nil, ErrNoHolder
	case err != nil:
		return nil, fmt.Errorf("share: %w", err)
	}
	uc := c.(*net.UnixConn)
	if err := checkPeer(uc); err != nil {
		uc.Close()
		return nil, err
	}
	return uc, nil
}

// checkPeer refuses a connection whose other end is another user.
func checkPeer(c *net.UnixConn) error { return checkPeerAs(c, os.Getuid()) }

// checkPeerAs refuses a connection whose other end is not user want.
func checkPeerAs(c *net.UnixConn, want int) error {
	uid, err := peerUID(c)
	if err != nil {
		return err
	}
	if uid != want {
		return fmt.Errorf("%w (uid %d)", ErrForeignSocket, uid)
	}
	return nil
}
