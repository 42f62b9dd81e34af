//go:build !linux && !darwin && !freebsd

package share

import "net"

// canCheckPeers reports whether peerUID works on this system.
const canCheckPeers = false

// peerUID cannot check the peer here: sessions are not shared.
func peerUID(*net.UnixConn) (int, error) { return 0, ErrUnsupported }
