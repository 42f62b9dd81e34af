package msntest

import (
	"bufio"
	"net"
	"testing"
	"time"
)

// echoServer answers each line with the same line until the client hangs
// up; the test's cleanup stops it.
func echoServer(t *testing.T) string {
	t.Helper()
	addr, stop, err := ServeTCP(2*time.Second, func(c net.Conn) {
		br := bufio.NewReader(c)
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			if _, err := c.Write([]byte(line)); err != nil {
				return
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return addr
}

// roundClient is a client connection through a proxy.
type roundClient struct {
	t  *testing.T
	nc net.Conn
	br *bufio.Reader
}

func dialRounds(t *testing.T, p *LatencyProxy) *roundClient {
	t.Helper()
	before := p.opened()
	nc, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	_ = nc.SetDeadline(time.Now().Add(2 * time.Second))
	// The dial returns when the kernel has the connection; the proxy
	// counts the connect when it accepts it, a moment later.
	deadline := time.Now().Add(2 * time.Second)
	for p.opened() == before {
		if time.Now().After(deadline) {
			t.Fatal("the proxy did not accept the connection")
		}
		time.Sleep(time.Millisecond)
	}
	return &roundClient{t: t, nc: nc, br: bufio.NewReader(nc)}
}

// opened returns how many connections p has accepted so far.
func (p *LatencyProxy) opened() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted
}

// ask writes lines in one write and waits for their echoes.
func (c *roundClient) ask(lines ...string) {
	c.t.Helper()
	var out []byte
	for _, l := range lines {
		out = append(out, l+"\n"...)
	}
	if _, err := c.nc.Write(out); err != nil {
		c.t.Fatal(err)
	}
	for _, l := range lines {
		got, err := c.br.ReadString('\n')
		if err != nil || got != l+"\n" {
			c.t.Fatalf("echo %q, %v; want %q", got, err, l)
		}
	}
}

// wantRounds checks the clock.
func wantRounds(t *testing.T, c *RoundClock, want int, what string) {
	t.Helper()
	if got := c.Rounds(); got != want {
		t.Fatalf("after %s: %d rounds, want %d", what, got, want)
	}
}

func TestRoundsCountWaitsNotChunks(t *testing.T) {
	target := echoServer(t)
	clock := new(RoundClock)
	newProxy := func() *LatencyProxy {
		p, err := clock.NewProxy(target, time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		return p
	}
	a, b := newProxy(), newProxy()

	c := dialRounds(t, a)
	defer c.nc.Close()
	wantRounds(t, clock, 1, "a connect")
	c.ask("VER", "CVR", "USR")
	wantRounds(t, clock, 2, "three pipelined lines")
	c.ask("SYN")
	wantRounds(t, clock, 3, "one more wait")

	// A second connection, opened after what the first received, and
	// its exchange follow on from the first's rounds.
	d := dialRounds(t, b)
	defer d.nc.Close()
	d.ask("USR")
	wantRounds(t, clock, 5, "a second connection's connect and exchange")

	// Waiting on the first connection again is one more round.
	c.ask("PNG")
	wantRounds(t, clock, 6, "a wait on the first connection")

	clock.Reset()
	wantRounds(t, clock, 0, "a reset")
	c.ask("OUT")
	wantRounds(t, clock, 0, "an exchange on a connection from before the reset")
	e := dialRounds(t, a)
	defer e.nc.Close()
	e.ask("VER")
	wantRounds(t, clock, 2, "a new connection's connect and exchange")
}

func TestRoundsIndependentOfDelay(t *testing.T) {
	target := echoServer(t)
	for _, delay := range []time.Duration{0, time.Millisecond, 10 * time.Millisecond} {
		p, err := NewLatencyProxy(target, delay)
		if err != nil {
			t.Fatal(err)
		}
		c := dialRounds(t, p)
		c.ask("VER")
		c.ask("CVR", "USR")
		c.nc.Close()
		if got := p.Clock().Rounds(); got != 3 {
			t.Errorf("delay %v: %d rounds, want 3", delay, got)
		}
		p.Close()
	}
}
