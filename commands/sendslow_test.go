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

// TestSendInteractiveListenerDroppedByServer shows what each side
// reports when the server drops a recipient who stopped reading, the
// loss that left BenchmarkSendInteractive waiting for ever on a loaded
// machine. The listener's first conversation stops reading; once the
// kernel's buffers and the server's queue for it (1024 lines) are full,
// the server drops the listener from that conversation with the lines it
// had queued, after acknowledging them to the sender, and refuses the
// next line. send -i sends the refused lines again on a new conversation
// and exits 0, every line acknowledged; the listener says that the first
// conversation broke, and misses lines, but none twice: a listen
// --count for every line would never end.
func TestSendInteractiveListenerDroppedByServer(t *testing.T) {
	// 5000 lines of 1400 bytes: more than the kernel's buffers (4 MiB
	// at most by default) and the server's queue hold together, so that
	// the queue fills, and few enough that what the listener reads at
	// once fits its own queue (4096 events).
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
	if err := runSend(ctx, env, sendOptions{Recipients: []string{"bob@example.com"}, Interactive: true,
		Window: sendWindow, Session: w.session("alice@example.com")}); err != nil {
		t.Fatalf("send -i: %v; %s", err, stderr)
	}
	if got, want := stdout.String(), fmt.Sprintf("sent %d messages to bob@example.com\n", lines); got != want {
		t.Errorf("send -i printed %q, want %q", got, want)
	}
	if gate.conns() < 2 {
		t.Fatalf("the listener answered %d conversation(s); the first was not dropped", gate.conns())
	}
	gate.open()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(listenErr.String(), "broke") {
		if time.Now().After(deadline) {
			t.Fatalf("the listener did not report the dropped conversation; stderr %q; it got %d lines", listenErr, strings.Count(out.String(), "\n"))
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-listened; err == nil {
		t.Error("listen reached its count")
	}
	if strings.Contains(listenErr.String(), "dropped") {
		t.Fatalf("the listener dropped events itself, which hides what the server dropped; stderr %q", listenErr)
	}
	got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(got) >= lines {
		t.Fatalf("the listener got %d lines; none was lost, so the server no longer drops a recipient who stops reading", len(got))
	}
	seen := map[string]bool{}
	for _, line := range got {
		if seen[line] {
			t.Fatalf("the listener got %.40q twice", line)
		}
		seen[line] = true
	}
	t.Logf("the listener got %d of the %d lines acknowledged to send -i", len(got), lines)
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
