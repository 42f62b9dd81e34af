// Package passport is a Passport 1.4 ("Tweener") client: the nexus lookup
// that finds the login server, and the HTTPS login that turns an e-mail
// address, a password and the notification server's challenge into a
// ticket for "USR TWN S".
//
// TLS is always verified. Redirects are never followed by net/http: the
// login follows at most MaxRedirects "da-status=redir" answers by hand,
// https only and within the host policy, and the Authorization header is
// only sent to URLs that passed that policy.
package passport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Limits and timeouts used by the client.
const (
	// RequestTimeout is http.Client.Timeout: it covers each nexus or login request.
	RequestTimeout = 30 * time.Second
	// DialTimeout bounds the TCP connect plus the TLS handshake.
	DialTimeout = 15 * time.Second
	// MaxRedirects is the number of login redirects followed.
	MaxRedirects = 3
	// maxBody bounds how much of a reply body is read (and discarded).
	maxBody = 64 << 10
	// maxHeaderBytes bounds the reply headers.
	maxHeaderBytes = 64 << 10
)

// Client logs in to Passport 1.4. Build it with New. A Client serves one
// goroutine at a time (Login and Discover update LoginURL); Warm returns at
// once and does its work in the background; CloseIdle may be called from
// any goroutine.
type Client struct {
	// HTTP is built by New: TLS verified against the system roots plus the
	// extra roots, CheckRedirect returning http.ErrUseLastResponse, Timeout 30 s.
	HTTP *http.Client
	// NexusURL is the nexus; New sets DefaultNexusURL when given "".
	NexusURL string
	// LoginURL is the cached DALogin (https://host/path); empty means a
	// nexus lookup on the first Login.
	LoginURL string
	// LoginHosts are extra login hosts allowed by the host policy:
	// "host" (port 443) or "host:port".
	LoginHosts []string
	// Proxy chooses the proxy for a request's URL, as
	// http.Transport.Proxy does; New sets http.ProxyFromEnvironment
	// (HTTPS_PROXY, NO_PROXY, and the loopback exception). nil connects
	// directly. An http or https proxy is reached with CONNECT, its
	// credentials from the proxy URL; TLS with the login or nexus host
	// runs inside the tunnel, verified as usual.
	Proxy func(*http.Request) (*url.URL, error)

	// dial replaces the TCP dial (tests map names to local listeners).
	dial func(ctx context.Context, network, addr string) (net.Conn, error)

	// dialTLS opens a verified TLS connection; the transport reaches it
	// through takeWarm, which hands out a connection Warm opened first.
	dialTLS func(ctx context.Context, network, addr string) (net.Conn, error)

	// systemRoots returns the system roots that a chain is checked
	// against when there are extra roots. New sets loadSystemRoots, so
	// the pool is read on the first such handshake, not before.
	systemRoots func() (*x509.CertPool, error)

	mu   sync.Mutex
	warm *warmDial
}

// New returns a Client for nexusURL ("" = DefaultNexusURL) that trusts the
// system roots and, when extraRoots is not nil, the certificates in it.
func New(nexusURL string, extraRoots *x509.CertPool) *Client {
	if nexusURL == "" {
		nexusURL = DefaultNexusURL
	}
	c := &Client{NexusURL: nexusURL, Proxy: http.ProxyFromEnvironment, systemRoots: loadSystemRoots}
	c.dialTLS = c.dialTLSFunc(extraRoots)
	tr := &http.Transport{
		Proxy:                  nil, // the TLS dialer goes through Client.Proxy itself
		DialTLSContext:         c.dialWarmOrNew,
		MaxIdleConns:           4,
		MaxIdleConnsPerHost:    2,
		IdleConnTimeout:        90 * time.Second,
		ResponseHeaderTimeout:  RequestTimeout,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: maxHeaderBytes,
	}
	c.HTTP = &http.Client{
		Transport: tr,
		Timeout:   RequestTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	return c
}

// dialFunc opens a TCP connection.
type dialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// loadSystemRoots returns a copy of the system certificate pool, read on
// the first call of the process and remembered, and the error of that
// read. Reading the pool takes tens of milliseconds, so it waits for a
// handshake that needs it.
var loadSystemRoots = sync.OnceValues(x509.SystemCertPool)

// dialTLSFunc returns the transport's TLS dialer. It connects directly,
// or through the proxy that c.Proxy names for the address (a CONNECT
// tunnel), then runs the TLS handshake with the login or nexus host.
// With extra roots the chain is checked against the system roots (read
// at the first handshake, an unreadable pool being skipped) and then
// against the extra roots, with the host name of the dialed address;
// without them the standard crypto/tls verification runs, which reads
// the system roots on first use too.
func (c *Client) dialTLSFunc(extra *x509.CertPool) func(ctx context.Context, network, addr string) (net.Conn, error) {
	tlsFor := func(host string) *tls.Config {
		cfg := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12, NextProtos: []string{"http/1.1"}}
		if extra != nil {
			// Verification is not skipped: VerifyConnection below checks the
			// chain and the host name against both pools, which a single
			// RootCAs pool cannot express without copying the pools.
			cfg.InsecureSkipVerify = true
			cfg.VerifyConnection = func(cs tls.ConnectionState) error {
				system, _ := c.systemRoots()
				return verifyChain(cs.PeerCertificates, host, system, extra)
			}
		}
		return cfg
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		ctx, cancel := context.WithTimeout(ctx, DialTimeout)
		defer cancel()
		dial := dialFunc(c.dial)
		if dial == nil {
			d := &net.Dialer{Timeout: DialTimeout, KeepAlive: 30 * time.Second}
			dial = d.DialContext
		}
		pu, err := c.proxyFor(addr)
		if err != nil {
			return nil, err
		}
		var raw net.Conn
		if pu != nil {
			raw, err = c.dialVia(ctx, pu, network, addr, dial, tlsFor)
		} else {
			raw, err = dial(ctx, network, addr)
		}
		if err != nil {
			return nil, err
		}
		conn := tls.Client(raw, tlsFor(host))
		if err := conn.HandshakeContext(ctx); err != nil {
			raw.Close()
			return nil, err
		}
		return conn, nil
	}
}

// verifyChain verifies certs for host against each non-nil pool in turn.
func verifyChain(certs []*x509.Certificate, host string, pools ...*x509.CertPool) error {
	if len(certs) == 0 {
		return errors.New("passport: server sent no certificate")
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	var first error
	for _, p := range pools {
		if p == nil {
			continue
		}
		_, err := certs[0].Verify(x509.VerifyOptions{DNSName: host, Roots: p, Intermediates: inter})
		if err == nil {
			return nil
		}
		if first == nil {
			first = err
		}
	}
	if first == nil {
		first = errors.New("passport: no trusted roots")
	}
	return first
}

// client returns c.HTTP, building a default Client when it is nil.
func (c *Client) client() *http.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.HTTP == nil {
		c.HTTP = New(c.NexusURL, nil).HTTP
	}
	return c.HTTP
}

// CloseIdle stops a Warm still in progress, closes the connection it
// opened if no request took it, and closes idle connections.
func (c *Client) CloseIdle() {
	c.mu.Lock()
	w := c.warm
	c.warm = nil
	c.mu.Unlock()
	if w != nil {
		w.cancel()
		<-w.done
		if w.conn != nil && !w.taken {
			w.conn.Close()
		}
	}
	c.client().CloseIdleConnections()
}
