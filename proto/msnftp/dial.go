package msnftp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// Dial limits.
const (
	dialTimeout  = 15 * time.Second // per address
	maxDialAddrs = 2                // an invitation names at most two: IP-Address and IP-Address-Internal
)

// Dial connects to the first address of addrs that answers, trying at
// most 2 (empty entries are skipped), one after another, each bounded by
// 15 seconds and ctx. When every attempt timed out the error matches
// ErrTimeout; when ctx ended it matches ctx's error.
func Dial(ctx context.Context, addrs []string) (net.Conn, error) {
	var targets []string
	for _, addr := range addrs {
		if addr != "" && len(targets) < maxDialAddrs {
			targets = append(targets, addr)
		}
	}
	if len(targets) == 0 {
		return nil, errors.New("msnftp: dial: no address to connect to")
	}
	d := net.Dialer{Timeout: dialTimeout}
	var errs []error
	for _, addr := range targets {
		if ctx.Err() != nil {
			break
		}
		c, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			return c, nil
		}
		errs = append(errs, err)
	}
	err := errors.Join(errs...)
	if cerr := ctx.Err(); cerr != nil {
		if err == nil {
			return nil, fmt.Errorf("msnftp: dial: %w", ctxError(cerr))
		}
		return nil, fmt.Errorf("msnftp: dial: %w: %w", ctxError(cerr), err)
	}
	if allTimeouts(errs) {
		return nil, fmt.Errorf("msnftp: dial: %w: %w", failf(ErrTimeout, "no answer within %v", dialTimeout), err)
	}
	return nil, fmt.Errorf("msnftp: dial: %w", err)
}

func allTimeouts(errs []error) bool {
	for _, err := range errs {
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			return false
		}
	}
	return len(errs) > 0
}
