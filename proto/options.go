package proto

import (
	"context"
	"io"
	"net"
	"time"
)

// dialTimeout bounds one TCP connect when ctx has a later deadline.
const dialTimeout = 15 * time.Second

// Options configures a connection.
type Options struct {
	// Handler receives server events on the reader goroutine, in wire
	// order. It must return quickly and must not wait for a server reply.
	Handler func(Event)
	// Debug receives the wire transcript, with passwords, tickets and
	// session cookies redacted. Nil writes nothing.
	Debug io.Writer
	// Dial opens TCP connections; nil uses a net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// AllowPrivate allows referrals to loopback, private and link-local
	// addresses even when the configured server is not one of them.
	AllowPrivate bool
	// KeepAlive, when positive, sends a ping that often while the
	// notification connection is idle, and fails the connection if the
	// answer does not come within the same period.
	KeepAlive time.Duration
}

// DialAddr opens a TCP connection to addr with Dial, under ctx and the
// dial timeout.
func (o *Options) DialAddr(ctx context.Context, addr string) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	if o.Dial != nil {
		return o.Dial(ctx, "tcp", addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, "tcp", addr)
}
