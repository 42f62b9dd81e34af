package msntest

import (
	"bufio"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// ConnectProxy is an HTTP proxy on loopback that serves CONNECT only:
// it records each request's target and Proxy-Authorization, and tunnels
// every accepted one to Target (or, when Target is "", to the address
// asked for), whatever host name the client asked for. With User set it
// answers 407 to a request without the matching Basic credentials. Start
// it with StartConnectProxy; Close ends every tunnel.
type ConnectProxy struct {
	// Addr is the proxy's host:port.
	Addr string
	// Target is where tunnels go; "" means the CONNECT address itself.
	Target string
	// User and Password are the credentials required, when User is set.
	User, Password string

	stop func()

	mu      sync.Mutex
	asked   []string // CONNECT addresses, in order
	refused int
}

// StartConnectProxy starts a proxy that tunnels to target, each
// connection living at most limit.
func StartConnectProxy(target, user, password string, limit time.Duration) (*ConnectProxy, error) {
	p := &ConnectProxy{Target: target, User: user, Password: password}
	addr, stop, err := ServeTCP(limit, p.handle)
	if err != nil {
		return nil, err
	}
	p.Addr, p.stop = addr, stop
	return p, nil
}

// Close stops the proxy and waits for every tunnel to end.
func (p *ConnectProxy) Close() { p.stop() }

// Asked returns the CONNECT addresses the proxy tunnelled, in order.
func (p *ConnectProxy) Asked() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.asked...)
}

// Refused returns how many requests got 407.
func (p *ConnectProxy) Refused() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refused
}

// handle serves one client connection: one CONNECT, then the tunnel.
func (p *ConnectProxy) handle(c net.Conn) {
	br := bufio.NewReader(io.LimitReader(c, 16<<10))
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	if req.Method != http.MethodConnect {
		_, _ = io.WriteString(c, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
		return
	}
	if p.User != "" {
		want := "Basic " + base64.StdEncoding.EncodeToString([]byte(p.User+":"+p.Password))
		if req.Header.Get("Proxy-Authorization") != want {
			p.mu.Lock()
			p.refused++
			p.mu.Unlock()
			_, _ = io.WriteString(c, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
			return
		}
	}
	target := p.Target
	if target == "" {
		target = req.Host
	}
	up, err := net.DialTimeout("tcp", target, 5*time.Second)
	if err != nil {
		_, _ = io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
		return
	}
	defer up.Close()
	p.mu.Lock()
	p.asked = append(p.asked, req.Host)
	p.mu.Unlock()
	if _, err := io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = io.Copy(up, c)
		_ = up.Close()
	}()
	_, _ = io.Copy(c, up)
	_ = c.Close()
	<-done
}
