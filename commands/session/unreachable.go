package session

import (
	"context"
	"errors"
	"net"
	"os"
	"syscall"

	"msn/proto/passport"
)

// Unreachable reports an error that means the server could not be
// reached at all (refused, no route, unknown host), as opposed to one
// that timed out or that the server sent.
func Unreachable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return false
	}
	var pe *passport.NetError
	if errors.As(err, &pe) {
		return true
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		return true
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, syscall.ENETUNREACH)
}
