package msntest

import (
	"net"
	"sync"
	"time"
)

// LatencyProxy forwards TCP connections to a target, delaying every chunk
// of data by a fixed one-way delay in each direction, and counts the round
// trips it forwards on a RoundClock (see the package documentation).
// Bandwidth is not limited.
type LatencyProxy struct {
	ln     net.Listener
	target string
	delay  time.Duration
	clock  *RoundClock
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  map[net.Conn]bool
	open   int // client connections accepted and not yet finished
	// accepted counts every client connection accepted, for tests.
	accepted int
}

// NewLatencyProxy listens on 127.0.0.1 and forwards to target; an empty
// target may be set later with SetTarget, before the first connection.
// The proxy counts round trips on a clock of its own.
func NewLatencyProxy(target string, oneWay time.Duration) (*LatencyProxy, error) {
	return new(RoundClock).NewProxy(target, oneWay)
}

// NewProxy is NewLatencyProxy with the round trips counted on c, which
// other proxies of the same client may share.
func (c *RoundClock) NewProxy(target string, oneWay time.Duration) (*LatencyProxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &LatencyProxy{ln: ln, target: target, delay: oneWay, clock: c, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Clock is the clock the proxy counts round trips on.
func (p *LatencyProxy) Clock() *RoundClock { return p.clock }

// SetTarget changes where new connections are forwarded.
func (p *LatencyProxy) SetTarget(addr string) {
	p.mu.Lock()
	p.target = addr
	p.mu.Unlock()
}

// Addr is the proxy's listening address.
func (p *LatencyProxy) Addr() string { return p.ln.Addr().String() }

// Close stops the proxy and every forwarded connection, and waits for
// its goroutines.
func (p *LatencyProxy) Close() error {
	err := p.ln.Close()
	p.mu.Lock()
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

func (p *LatencyProxy) track(c net.Conn) {
	p.mu.Lock()
	p.conns[c] = true
	p.mu.Unlock()
}

func (p *LatencyProxy) untrack(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
	c.Close()
}

func (p *LatencyProxy) accept() {
	defer p.wg.Done()
	for {
		in, err := p.ln.Accept()
		if err != nil {
			return
		}
		rc := p.clock.connect()
		p.track(in)
		p.mu.Lock()
		p.open++
		p.accepted++
		p.mu.Unlock()
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer func() {
				p.mu.Lock()
				p.open--
				p.mu.Unlock()
			}()
			// The connection is accepted at once (the client's SYN has
			// already paid its way); the dial to the target is delayed
			// like the handshake's second half would be.
			time.Sleep(2 * p.delay)
			defer p.untrack(in)
			p.mu.Lock()
			target := p.target
			p.mu.Unlock()
			out, err := net.Dial("tcp", target)
			if err != nil {
				return
			}
			defer p.untrack(out)
			p.track(out)
			var pair sync.WaitGroup
			pair.Add(2)
			go func() { defer pair.Done(); p.pump(out, in, rc.fromClient, rc.toServer, rc.hangUp) }()
			go func() { defer pair.Done(); p.pump(in, out, rc.fromServer, rc.toClient, func() {}) }()
			pair.Wait()
		}()
	}
}

// chunk is data read at a time, due for delivery at due, in round.
type chunk struct {
	data  []byte
	due   time.Time
	round int
}

// pump copies src to dst, delivering each chunk one delay after it was
// read, in order. stamp gives a chunk its round as it is read; deliver
// records it just before the chunk is written; ended is called as soon
// as src has nothing more to send.
func (p *LatencyProxy) pump(dst, src net.Conn, stamp func() int, deliver func(int), ended func()) {
	queue := make(chan chunk, 1024)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for c := range queue {
			time.Sleep(time.Until(c.due))
			deliver(c.round)
			if _, err := dst.Write(c.data); err != nil {
				break
			}
		}
		for range queue {
		}
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			queue <- chunk{data: append([]byte(nil), buf[:n]...), due: time.Now().Add(p.delay), round: stamp()}
		}
		if err != nil {
			break
		}
	}
	ended()
	close(queue)
	<-done
	if tc, ok := dst.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	} else {
		dst.Close()
	}
}

// idle reports whether every connection the proxy accepted has finished.
func (p *LatencyProxy) idle() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.open == 0
}
