package commands

import (
	"bytes"
	"io"
	"net"
	"sync"
	"testing"
)

// cutProxy forwards TCP connections to a target. When a chunk from the
// target contains a marker, it forwards the chunk only up to the marker
// and then cuts the connection (both ways), or, with stall, forwards
// nothing more from the target while keeping the connection open until
// either side closes it: a switchboard connection broken or stalled in
// the middle of a message.
type cutProxy struct {
	ln     net.Listener
	marker []byte
	stall  bool
	mu     sync.Mutex
	target string
	conns  map[net.Conn]bool
	wg     sync.WaitGroup
}

// newCutProxy listens on loopback; set the target before the first
// connection. It is closed at the end of the test.
func newCutProxy(tb testing.TB, marker string, stall bool) *cutProxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &cutProxy{ln: ln, marker: []byte(marker), stall: stall, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.accept()
	tb.Cleanup(p.close)
	return p
}

// setTarget says where connections go.
func (p *cutProxy) setTarget(addr string) {
	p.mu.Lock()
	p.target = addr
	p.mu.Unlock()
}

// addr is where clients connect.
func (p *cutProxy) addr() string { return p.ln.Addr().String() }

// close stops the proxy and its connections and waits for its goroutines.
func (p *cutProxy) close() {
	p.ln.Close()
	p.mu.Lock()
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

// accept forwards each connection until the listener closes.
func (p *cutProxy) accept() {
	defer p.wg.Done()
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		target := p.target
		p.mu.Unlock()
		server, err := net.Dial("tcp", target)
		if err != nil {
			client.Close()
			continue
		}
		p.mu.Lock()
		p.conns[client], p.conns[server] = true, true
		p.mu.Unlock()
		p.wg.Add(2)
		go func() {
			defer p.wg.Done()
			_, _ = io.Copy(server, client)
			server.Close()
			client.Close()
		}()
		go func() {
			defer p.wg.Done()
			p.down(client, server)
			server.Close()
			client.Close()
		}()
	}
}

// down forwards what the target sends, cutting or stalling at the
// marker.
func (p *cutProxy) down(client, server net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := server.Read(buf)
		if i := bytes.Index(buf[:n], p.marker); i >= 0 {
			_, _ = client.Write(buf[:i])
			if p.stall {
				_, _ = io.Copy(io.Discard, server)
			}
			return
		}
		if n > 0 {
			if _, werr := client.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
