//go:build darwin || freebsd

package share

import (
	"fmt"
	"net"

	"golang.org/x/sys/unix"
)

// canCheckPeers reports whether peerUID works on this system.
const canCheckPeers = true

// peerUID returns the user id of the process at the other end of c
// (LOCAL_PEERCRED).
func peerUID(c *net.UnixConn) (int, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return 0, fmt.Errorf("share: peer credentials: %w", err)
	}
	var cred *unix.Xucred
	var credErr error
	if err := raw.Control(func(fd uintptr) {
		cred, credErr = unix.GetsockoptXucred(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
	}); err != nil {
		return 0, fmt.Errorf("share: peer credentials: %w", err)
	}
	if credErr != nil {
		return 0, fmt.Errorf("share: peer credentials: %w", credErr)
	}
	return int(cred.Uid), nil
}
