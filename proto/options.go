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
	// notification connection is up, and fails the connection with
	// ErrServerSilent when the answer does not come within KeepAliveWait:
	// a server that stops answering is noticed within KeepAlive plus
	// KeepAliveWait.
	KeepAlive time.Duration
	// KeepAliveWait bounds the wait for the answer to a keep-alive ping,
	// the write of the ping included; zero means DefaultKeepAliveWait.
	KeepAliveWait time.Duration
}

// DefaultKeepAliveWait is the wait for the answer to a keep-alive ping
// when Options.KeepAliveWait is zero.
const DefaultKeepAliveWait = 15 * time.Second

// keepAliveWait is the wait for a ping's answer in force.
func (o *Options) keepAliveWait() time.Duration {
	if o.KeepAliveWait > 0 {
		return o.KeepAliveWait
	}
	return DefaultKeepAliveWait
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
