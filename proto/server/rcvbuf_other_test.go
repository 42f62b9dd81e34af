//go:build !unix

package server_test

import "syscall"

// smallReceiveBuffer leaves the receive buffer as it is where it cannot
// be set before connecting.
func smallReceiveBuffer(int) func(network, address string, c syscall.RawConn) error {
	return nil
}
