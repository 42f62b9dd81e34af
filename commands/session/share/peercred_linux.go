package share

import (
	"fmt"
	"net"
	"syscall"
)

// canCheckPeers reports whether peerUID works on this system.
const canCheckPeers = true

// peerUID returns the user id of the process at the other end of c
// (SO_PEERCRED).
func peerUID(c *net.UnixConn) (int, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return 0, fmt.Errorf("share: peer credentials: %w", err)
	}
	var cred *syscall.Ucred
	var credErr error
	if err := raw.Control(func(fd uintptr) {
		cred, credErr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil {
		return 0, fmt.Errorf("share: peer credentials: %w", err)
	}
	if credErr != nil {
		return 0, fmt.Errorf("share: peer credentials: %w", credErr)
	}
	return int(cred.Uid), nil
}
