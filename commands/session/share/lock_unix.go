//go:build linux || darwin || freebsd

package share

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockDir takes the lock of the socket directory dir, which serialises
// finding a socket stale and replacing or removing it; the function
// returned releases it. Each holder of the lock keeps it briefly.
func lockDir(dir string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("share: lock: %w", err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("share: lock: %w", err)
	}
	return func() { f.Close() }, nil
}
