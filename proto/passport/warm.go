package passport

import (
	"context"
	"net"
	"net/url"
)

// warmDial is a TLS connection opened ahead of the request that will use
// it.
type warmDial struct {
	addr   string
	done   chan struct{} // closed when the dial has finished
	cancel context.CancelFunc
	conn   net.Conn // set before done closes; nil on failure
	taken  bool     // guarded by Client.mu
}

// Warm opens, in the background, the TCP and TLS connection that the next
// Discover or Login will use, so that they do not pay for the handshakes
// when they start: to the login host when LoginURL is set and allowed,
// else to the nexus host. No request is sent. The transport's dialer takes
// the connection when its first request goes to that host; CloseIdle
// closes it if nothing did. Errors are ignored: the request then dials as
// usual.
func (c *Client) Warm(ctx context.Context) {
	addr := c.warmAddr()
	if addr == "" || c.dialTLS == nil {
		return
	}
	c.mu.Lock()
	if c.warm != nil {
		c.mu.Unlock()
		return
	}
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), DialTimeout)
	w := &warmDial{addr: addr, done: make(chan struct{}), cancel: cancel}
	c.warm = w
	c.mu.Unlock()
	go func() {
		defer close(w.done)
		defer cancel()
		if conn, err := c.dialTLS(wctx, "tcp", addr); err == nil {
			w.conn = conn
		}
	}()
}

// dialWarmOrNew is the transport's TLS dialer: it returns the connection
// Warm opened for addr, waiting for it if the handshake is under way, or
// dials a new one.
func (c *Client) dialWarmOrNew(ctx context.Context, network, addr string) (net.Conn, error) {
	c.mu.Lock()
	w := c.warm
	if w == nil || w.addr != addr || w.taken {
		c.mu.Unlock()
		return c.dialTLS(ctx, network, addr)
	}
	w.taken = true
	c.mu.Unlock()
	select {
	case <-w.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if w.conn == nil {
		return c.dialTLS(ctx, network, addr)
	}
	return w.conn, nil
}

// warmAddr returns the host:port Warm should connect to, or "" when none
// passes the policy.
func (c *Client) warmAddr() string {
	if c.LoginURL != "" {
		if u, err := c.checkLoginURL(c.LoginURL); err == nil {
			return hostPort(u)
		}
	}
	nexus := c.NexusURL
	if nexus == "" {
		nexus = DefaultNexusURL
	}
	u, err := url.Parse(nexus)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return ""
	}
	return hostPort(u)
}

// hostPort returns the URL's host with the https port made explicit, as
// the transport names the address it dials.
func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	return net.JoinHostPort(u.Hostname(), "443")
}
