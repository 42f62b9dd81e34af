package commands

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"msn/proto/server"
)

// TestSendInteractiveListenerFallsBehind sends more than the kernel's
// buffers and the server's queue hold together to a listener whose
// conversation stops reading for a second: the server holds send -i back
// until the listener reads again, instead of dropping the listener with
// lines it had acknowledged (what once left BenchmarkSendInteractive
// waiting for ever on a loaded machine). Every line arrives once, in
// one conversation.
func TestSendInteractiveListenerFallsBehind(t *testing.T) {
	// 5000 lines of 1400 bytes: more than the kernel's buffers (4 MiB
	// at most by default) and the server's queue (1024 replies) hold,
	// and few enough that what the listener reads at once fits its own
	// queue (4096 events).
	const lines, size = 5000, 1400
	w := newTestWorld(t, server.Config{})
	gate := newGateProxy(t, w.srv.SBAddr())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	benv, out, listenErr := w.env("bob@example.com", strings.NewReader(""))
	benv.dial = dialThrough(w.srv.SBAddr(), gate.addr())
	ready := make(chan struct{})
	listened := make(chan error, 1)
	go func() {
		listened <- runListen(ctx, benv, listenOptions{Count: lines, Session: w.session("bob@example.com"),
			onReady: func() { close(ready) }})
	}()
	select {
	case <-ready:
	case err := <-listened:
		t.Fatalf("listen: %v; %s", err, listenErr)
	}
	var input strings.Builder
	for i := 1; i <= lines; i++ {
		fmt.Fprintf(&input, "line %05d %s\n", i, strings.Repeat("x", size-11))
	}
	env, stdout, stderr := w.env("alice@example.com", strings.NewReader(input.String()))
	reopen := time.AfterFunc(time.Second, gate.open)
	defer reopen.Stop()
	if err := runSend(ctx, env, sendOptions{Recipients: []string{"bob@example.com"}, Interactive: true,
		Window: sendWindow, Session: w.session("alice@example.com")}); err != nil {
		t.Fatalf("send -i: %v; %s", err, stderr)
	}
	if got, want := stdout.String(), fmt.Sprintf("sent %d messages to bob@example.com\n", lines); got != want {
		t.Errorf("send -i printed %q, want %q", got, want)
	}
	select {
	case err := <-listened:
		if err != nil {
			t.Fatalf("listen: %v; %s", err, listenErr)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("the listener got %d of %d lines; stderr %q", strings.Count(out.String(), "\n"), lines, listenErr)
	}
	if n := gate.conns(); n != 1 {
		t.Errorf("the listener answered %d conversations, want 1; stderr %q", n, listenErr)
	}
	got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	for i, line := range got {
		if want := fmt.Sprintf("line %05d ", i+1); !strings.Contains(line, want) {
			t.Fatalf("line %d of the listener's output is %.60q, want %q", i+1, line, want)
		}
	}
}

// gateProxy forwards connections to a target; what the target sends on
// the first one is held back (not read) until open.
type gateProxy struct {
	ln     net.Listener
	target string
	gate   chan struct{}
	once   sync.Once
	wg     sync.WaitGroup
	mu     sync.Mutex
	n      int
	opened []net.Conn
}

// newGateProxy starts a gateProxy in front of target, closed until the
// test ends or open.
func newGateProxy(t *testing.T, target string) *gateProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := &gateProxy{ln: ln, target: target, gate: make(chan struct{})}
	g.wg.Add(1)
	go g.accept()
	t.Cleanup(g.close)
	return g
}

// addr is where the proxy listens.
func (g *gateProxy) addr() string { return g.ln.Addr().String() }

// conns returns how many connections were accepted.
func (g *gateProxy) conns() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.n
}

// open lets the first connection's held-back bytes through.
func (g *gateProxy) open() { g.once.Do(func() { close(g.gate) }) }

// close stops accepting, ends every connection and waits for the
// forwarding goroutines.
func (g *gateProxy) close() {
	g.open()
	g.ln.Close()
	g.mu.Lock()
	for _, c := range g.opened {
		c.Close()
	}
	g.mu.Unlock()
	g.wg.Wait()
}

// accept forwards each connection until the listener closes.
func (g *gateProxy) accept() {
	defer g.wg.Done()
	for {
		c, err := g.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", g.target)
		if err != nil {
			c.Close()
			continue
		}
		g.mu.Lock()
		g.n++
		first := g.n == 1
		g.opened = append(g.opened, c, s)
		g.mu.Unlock()
		g.wg.Add(2)
		go g.pipe(s, c, nil)
		var gate chan struct{}
		if first {
			gate = g.gate
		}
		go g.pipe(c, s, gate)
	}
}

// pipe copies from src to dst, after gate is closed when one is given,
// and closes both when either side ends.
func (g *gateProxy) pipe(dst, src net.Conn, gate chan struct{}) {
	defer g.wg.Done()
	if gate != nil {
		<-gate
	}
	_, _ = io.Copy(dst, src)
	dst.Close()
	src.Close()
}
