package msntest

import (
	"fmt"
	"net"
	"sync"
	"time"
)

// Fault is what a FaultProxy does to a connection once a rule fires.
type Fault int

// The faults a FaultProxy injects.
const (
	// Reset aborts both halves of the connection with a TCP RST.
	Reset Fault = iota + 1
	// Stall stops forwarding in the rule's direction and keeps both
	// sockets open: what arrives in that direction is read and dropped.
	Stall
	// Cut forwards the first half of the line at the fault point, then
	// closes both halves.
	Cut
	// Truncate closes both connections at the fault point, as a peer
	// that hangs up does.
	Truncate
	// Drip forwards the rule's direction one byte per Rule.Interval
	// from the fault point on.
	Drip
)

// String names the fault, for test names.
func (f Fault) String() string {
	switch f {
	case Reset:
		return "reset"
	case Stall:
		return "stall"
	case Cut:
		return "cut"
	case Truncate:
		return "truncate"
	case Drip:
		return "drip"
	}
	return fmt.Sprintf("Fault(%d)", int(f))
}

// Direction is the half of a forwarded connection a rule watches.
type Direction int

// The two halves of a connection.
const (
	ClientToServer Direction = iota + 1
	ServerToClient
)

// String names the direction, for test names.
func (d Direction) String() string {
	if d == ClientToServer {
		return "c2s"
	}
	return "s2c"
}

// Rule is one fault: where in which connection and half it fires, and
// what it does.
type Rule struct {
	Fault Fault
	Dir   Direction
	// On, when set, fires the fault at the start of the Nth line in Dir
	// that begins with On (the first when Nth is 0); otherwise the fault
	// fires once At bytes have been forwarded in Dir.
	On  string
	Nth int
	At  int64
	// Conn is the connection the rule applies to, counting accepted
	// connections from 1; 0 applies it to every connection.
	Conn int
	// Interval is Drip's pause between bytes (100 ms when 0).
	Interval time.Duration
}

// FaultProxy forwards TCP connections to a target and injects a fault
// into each connection its rules select; one rule fires at most once per
// connection and direction. Close ends every connection and waits for
// every goroutine.
type FaultProxy struct {
	ln    net.Listener
	rules []Rule
	wg    sync.WaitGroup
	done  chan struct{} // closed by Close

	mu       sync.Mutex
	target   string
	conns    map[net.Conn]bool
	accepted int
	fired    int
	firstAt  time.Time // when the first fault fired
}

// NewFaultProxy listens on 127.0.0.1 and forwards to target (which
// SetTarget may set later, before the first connection), applying rules.
func NewFaultProxy(target string, rules ...Rule) (*FaultProxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &FaultProxy{ln: ln, rules: rules, target: target, done: make(chan struct{}), conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is the proxy's listening address.
func (p *FaultProxy) Addr() string { return p.ln.Addr().String() }

// SetTarget changes where new connections are forwarded.
func (p *FaultProxy) SetTarget(addr string) {
	p.mu.Lock()
	p.target = addr
	p.mu.Unlock()
}

// Fired returns how many faults the proxy has injected so far.
func (p *FaultProxy) Fired() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.fired
}

// FirstFault returns when the first fault fired (the zero time before).
func (p *FaultProxy) FirstFault() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.firstAt
}

// Accepted returns how many connections the proxy has accepted.
func (p *FaultProxy) Accepted() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted
}

// Close stops the proxy, closes every forwarded connection and waits
// for its goroutines.
func (p *FaultProxy) Close() error {
	err := p.ln.Close()
	p.mu.Lock()
	select {
	case <-p.done:
	default:
		close(p.done)
	}
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

// track registers c to be closed by Close; it reports false, closing c,
// when the proxy is already closing.
func (p *FaultProxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.done:
		c.Close()
		return false
	default:
	}
	p.conns[c] = true
	return true
}

// untrack closes c and forgets it.
func (p *FaultProxy) untrack(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
	c.Close()
}

// accept runs each accepted connection on a goroutine of its own.
func (p *FaultProxy) accept() {
	defer p.wg.Done()
	for {
		in, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		p.accepted++
		n, target := p.accepted, p.target
		p.mu.Unlock()
		if !p.track(in) {
			continue
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer p.untrack(in)
			out, err := net.DialTimeout("tcp", target, 5*time.Second)
			if err != nil || !p.track(out) {
				return
			}
			defer p.untrack(out)
			p.forward(n, in, out)
		}()
	}
}

// forward pumps both halves of connection n until both end.
func (p *FaultProxy) forward(n int, in, out net.Conn) {
	f := &faultConn{p: p, in: in, out: out}
	var pair sync.WaitGroup
	pair.Add(2)
	go func() { defer pair.Done(); f.pump(out, in, p.rule(n, ClientToServer)) }()
	go func() { defer pair.Done(); f.pump(in, out, p.rule(n, ServerToClient)) }()
	pair.Wait()
}

// rule returns the first rule for connection n and direction d, or nil.
func (p *FaultProxy) rule(n int, d Direction) *Rule {
	for i := range p.rules {
		r := &p.rules[i]
		if r.Dir == d && (r.Conn == 0 || r.Conn == n) {
			return r
		}
	}
	return nil
}

// fire counts one injected fault.
func (p *FaultProxy) fire() {
	p.mu.Lock()
	if p.fired == 0 {
		p.firstAt = time.Now()
	}
	p.fired++
	p.mu.Unlock()
}
