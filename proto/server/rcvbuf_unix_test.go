//go:build unix

package server_test

import "syscall"

// smallReceiveBuffer sets a socket's receive buffer to n bytes before it
// connects, so that the kernel holds little of what the server sends.
func smallReceiveBuffer(n int) func(network, address string, c syscall.RawConn) error {
	return func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, n)
		})
		if err != nil {
			return err
		}
		return serr
	}
}
