package passport

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxProxyReply bounds the proxy's answer to CONNECT.
const maxProxyReply = 16 << 10

// ProxyError reports a proxy that could not be used: its setting is not
// a URL, it has a scheme other than http or https, or it did not open
// the tunnel. Proxy is the proxy's scheme and address, without the user
// name and password, which no error ever shows.
type ProxyError struct {
	Proxy string
	Err   error
}

// Error names the proxy and the cause.
func (e *ProxyError) Error() string {
	if e.Proxy == "" {
		return "proxy: " + e.Err.Error()
	}
	return "proxy " + e.Proxy + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *ProxyError) Unwrap() error { return e.Err }

// proxyFor returns the proxy to reach the https address addr through,
// or nil to connect directly, as c.Proxy (the environment's
// HTTPS_PROXY and NO_PROXY by default) says.
func (c *Client) proxyFor(addr string) (*url.URL, error) {
	if c.Proxy == nil {
		return nil, nil
	}
	req := &http.Request{Method: http.MethodGet, URL: &url.URL{Scheme: "https", Host: addr}, Header: http.Header{}}
	pu, err := c.Proxy(req)
	if err != nil {
		// The error quotes the whole setting, password included.
		return nil, &ProxyError{Err: errors.New("the proxy setting (HTTPS_PROXY) is not a valid URL")}
	}
	return pu, nil
}

// proxyName is the scheme and address of a proxy, for errors.
func proxyName(pu *url.URL) string {
	return (&url.URL{Scheme: pu.Scheme, Host: pu.Host}).String()
}

// dialVia opens a tunnel to addr through the proxy pu: a TCP connection
// to an http proxy, or a verified TLS one to an https proxy, then
// CONNECT with the proxy's credentials, if the URL has any, in
// Proxy-Authorization. The exchange is bounded by ctx and by
// maxProxyReply bytes; errors never hold the credentials.
func (c *Client) dialVia(ctx context.Context, pu *url.URL, network, addr string, dial dialFunc, tlsFor func(host string) *tls.Config) (net.Conn, error) {
	name := proxyName(pu)
	fail := func(err error) error { return &ProxyError{Proxy: name, Err: err} }
	port := pu.Port()
	switch strings.ToLower(pu.Scheme) {
	case "http":
		if port == "" {
			port = "80"
		}
	case "https":
		if port == "" {
			port = "443"
		}
	default:
		return nil, fail(fmt.Errorf("scheme %q not supported (want http or https)", pu.Scheme))
	}
	paddr := net.JoinHostPort(pu.Hostname(), port)
	conn, err := dial(ctx, network, paddr) // its errors name paddr, which holds no user information
	if err != nil {
		return nil, fail(err)
	}
	if strings.EqualFold(pu.Scheme, "https") {
		tc := tls.Client(conn, tlsFor(pu.Hostname()))
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, fail(err)
		}
		conn = tc
	}
	if err := connect(ctx, conn, pu, addr); err != nil {
		conn.Close()
		return nil, fail(err)
	}
	return conn, nil
}

// connect sends CONNECT addr on conn and reads the proxy's answer.
func connect(ctx context.Context, conn net.Conn, pu *url.URL, addr string) error {
	if d, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(d)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer func() {
		stop()
		_ = conn.SetDeadline(time.Time{})
	}()
	req := "CONNECT " + addr + " HTTP/1.1\r\nHost: " + addr + "\r\nUser-Agent: " + userAgent + "\r\n"
	if pu.User != nil {
		pw, _ := pu.User.Password()
		req += "Proxy-Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte(pu.User.Username()+":"+pw)) + "\r\n"
	}
	if _, err := io.WriteString(conn, req+"\r\n"); err != nil {
		return err
	}
	br := bufio.NewReader(io.LimitReader(conn, maxProxyReply))
	resp, err := http.ReadResponse(br, &http.Request{Method: http.MethodConnect})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("bad answer to CONNECT: %w", err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("CONNECT refused: http %d", resp.StatusCode)
	}
	if br.Buffered() > 0 {
		return errors.New("bytes after the answer to CONNECT")
	}
	return nil
}
