package engine

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// pipeWith starts a Conn with cfg on one end of a net.Pipe and returns
// the other end.
func pipeWith(t *testing.T, cfg Config) (*Conn, net.Conn) {
	t.Helper()
	client, server := net.Pipe()
	c := New(client, cfg)
	c.Start()
	t.Cleanup(func() {
		server.Close()
		c.Close()
	})
	return c, server
}

// waitCall waits for call with a bound well below any test timeout.
func waitCall(t *testing.T, call *Call) (*Command, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	reply, err := call.Wait(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		t.Fatal("the call was left waiting")
	}
	return reply, err
}

// serverLines reads the client's lines on server into a channel, until
// the pipe closes.
func serverLines(server net.Conn) <-chan string {
	out := make(chan string, 16)
	go func() {
		defer close(out)
		br := bufio.NewReader(server)
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			out <- strings.TrimRight(line, "\r\n")
		}
	}()
	return out
}

// next returns the next line the client wrote, or fails.
func next(t *testing.T, lines <-chan string) string {
	t.Helper()
	select {
	case l, ok := <-lines:
		if !ok {
			t.Fatal("the client closed without writing the line")
		}
		return l
	case <-time.After(5 * time.Second):
		t.Fatal("no line from the client")
	}
	return ""
}

func write(t *testing.T, server net.Conn, s string) {
	t.Helper()
	if _, err := io.WriteString(server, s); err != nil {
		t.Fatal(err)
	}
}

func TestMalformedReplyFailsItsCallAtOnce(t *testing.T) {
	var mu sync.Mutex
	var reported []error
	c, server := pipeWith(t, Config{Dialect: MSNP8, Malformed: func(err error) {
		mu.Lock()
		reported = append(reported, err)
		mu.Unlock()
	}})
	lines := serverLines(server)
	usr := c.Go(context.Background(), &Command{Verb: "USR", Args: []string{"x"}})
	chg := c.Go(context.Background(), &Command{Verb: "CHG", Args: []string{"NLN"}})
	next(t, lines)
	next(t, lines)
	write(t, server, "USR 1 OK \x01\r\n")
	if _, err := waitCall(t, usr); !errors.Is(err, ErrProtocol) {
		t.Fatalf("USR = %v, want a protocol error", err)
	}
	select {
	case <-chg.Done():
		t.Fatalf("CHG ended by a line of another TrID: %v", chg.Err)
	default:
	}
	write(t, server, "CHG 2 NLN\r\n")
	if _, err := waitCall(t, chg); err != nil {
		t.Fatalf("CHG = %v: the connection must go on", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(reported) != 1 {
		t.Fatalf("reported %v, want the one malformed line", reported)
	}
}

func TestMalformedLineWithoutTrIDFailsTheCallsOfItsVerb(t *testing.T) {
	c, server := pipeWith(t, Config{Dialect: MSNP8})
	lines := serverLines(server)
	usr := c.Go(context.Background(), &Command{Verb: "USR"})
	chg := c.Go(context.Background(), &Command{Verb: "CHG"})
	pong := c.Expect("QNG")
	join := c.Expect("JOI:bob@example.com")
	next(t, lines)
	next(t, lines)
	write(t, server, "USR x OK\r\n")
	if _, err := waitCall(t, usr); !errors.Is(err, ErrProtocol) {
		t.Fatalf("USR = %v, want a protocol error", err)
	}
	write(t, server, "JOI bob@example.com \x7f\r\n")
	if _, err := waitCall(t, join); !errors.Is(err, ErrProtocol) {
		t.Fatalf("JOI waiter = %v, want a protocol error", err)
	}
	for name, call := range map[string]*Call{"CHG": chg, "QNG": pong} {
		select {
		case <-call.Done():
			t.Fatalf("%s ended by a line of another verb: %v", name, call.Err)
		default:
		}
	}
	// An error line whose TrID cannot be read may answer any call.
	write(t, server, "911 x\r\n")
	if _, err := waitCall(t, chg); !errors.Is(err, ErrProtocol) {
		t.Fatalf("CHG = %v after an error line without a TrID", err)
	}
	select {
	case <-pong.Done():
		t.Fatal("an error line cannot be the QNG")
	default:
	}
	write(t, server, "QNG \x01\r\n")
	if _, err := waitCall(t, pong); !errors.Is(err, ErrProtocol) {
		t.Fatalf("QNG waiter = %v", err)
	}
	if err := c.Err(); err != nil {
		t.Fatalf("Err = %v: malformed lines leave the connection up", err)
	}
}

func TestUnreadableVerbFailsEveryWait(t *testing.T) {
	c, server := pipeWith(t, Config{Dialect: MSNP8})
	lines := serverLines(server)
	usr := c.Go(context.Background(), &Command{Verb: "USR"})
	join := c.Expect("JOI:bob@example.com")
	next(t, lines)
	write(t, server, "usr 1 OK\r\n")
	for name, call := range map[string]*Call{"USR": usr, "JOI": join} {
		if _, err := waitCall(t, call); !errors.Is(err, ErrProtocol) {
			t.Fatalf("%s = %v, want a protocol error", name, err)
		}
	}
}

func TestUnsolicitedJunkIsOnlyReported(t *testing.T) {
	bad := make(chan error, 4)
	c, server := pipeWith(t, Config{Dialect: MSNP8, Malformed: func(err error) { bad <- err }})
	lines := serverLines(server)
	chg := c.Go(context.Background(), &Command{Verb: "CHG"})
	next(t, lines)
	write(t, server, "NLN NLN bob@example.com \x01\r\nUSR 7 OK \x01\r\nCHG 1 NLN\r\n")
	if _, err := waitCall(t, chg); err != nil {
		t.Fatalf("CHG = %v: junk answering no call must not fail it", err)
	}
	if len(bad) != 2 {
		t.Fatalf("%d lines reported, want 2", len(bad))
	}
}

func TestLineStalledPartWayFailsAsSilentServer(t *testing.T) {
	defer func(d time.Duration) { StallTimeout = d }(StallTimeout)
	StallTimeout = 100 * time.Millisecond
	c, server := pipeWith(t, Config{Dialect: MSNP8})
	lines := serverLines(server)
	usr := c.Go(context.Background(), &Command{Verb: "USR"})
	next(t, lines)
	// Idle for longer than the stall bound: nothing has begun, all is well.
	time.Sleep(3 * StallTimeout)
	if err := c.Err(); err != nil {
		t.Fatalf("an idle connection failed: %v", err)
	}
	start := time.Now()
	write(t, server, "USR 1 O")
	_, err := waitCall(t, usr)
	if !errors.Is(err, ErrServerSilent) || errors.Is(err, ErrProtocol) {
		t.Fatalf("USR = %v, want ErrServerSilent", err)
	}
	if took := time.Since(start); took > StallTimeout+2*time.Second {
		t.Fatalf("the stall was noticed after %v", took)
	}
}

func TestSlowLineWithinTheBoundIsRead(t *testing.T) {
	defer func(d time.Duration) { StallTimeout = d }(StallTimeout)
	StallTimeout = 2 * time.Second
	c, server := pipeWith(t, Config{Dialect: MSNP8})
	lines := serverLines(server)
	usr := c.Go(context.Background(), &Command{Verb: "USR"})
	next(t, lines)
	for _, b := range []string{"USR", " 1", " OK\r", "\n"} {
		write(t, server, b)
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := waitCall(t, usr); err != nil {
		t.Fatalf("USR = %v", err)
	}
}

func TestCutInTheMiddleIsTheNetworkNotAProtocolError(t *testing.T) {
	for name, part := range map[string]string{
		"line":    "USR 1 O",
		"payload": "MSG a@b.com Bob 10\r\nabc",
	} {
		t.Run(name, func(t *testing.T) {
			c, server := pipeWith(t, Config{Dialect: MSNP8})
			lines := serverLines(server)
			usr := c.Go(context.Background(), &Command{Verb: "USR"})
			next(t, lines)
			write(t, server, part)
			server.Close()
			_, err := waitCall(t, usr)
			if !errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, ErrProtocol) || errors.Is(err, ErrClosed) {
				t.Fatalf("USR = %v, want the cut (unexpected EOF), no protocol error", err)
			}
			if err := c.Close(); !errors.Is(err, ErrCutOff) {
				t.Fatalf("Close = %v: a cut connection did not end in order", err)
			}
		})
	}
}

func TestGoodbyeOnEveryEndThisSideChose(t *testing.T) {
	out := &Command{Verb: "OUT"}
	for name, end := range map[string]func(c *Conn, server net.Conn){
		"close":    func(c *Conn, _ net.Conn) { c.Close() },
		"fail":     func(c *Conn, _ net.Conn) { c.Fail(errors.New("given up")) },
		"protocol": func(c *Conn, server net.Conn) { io.WriteString(server, "MSG a@b.com Bob x\r\n") },
	} {
		t.Run(name, func(t *testing.T) {
			c, server := pipeWith(t, Config{Dialect: MSNP8, Goodbye: out})
			lines := serverLines(server)
			end(c, server)
			if l := next(t, lines); l != "OUT" {
				t.Fatalf("client wrote %q, want OUT", l)
			}
			<-c.Done()
			c.Close()
			if l, ok := <-lines; ok {
				t.Fatalf("client wrote %q after its goodbye", l)
			}
		})
	}
}

func TestNoGoodbyeWhenTheServerEnded(t *testing.T) {
	c, server := pipeWith(t, Config{Dialect: MSNP8, Goodbye: &Command{Verb: "OUT"}})
	server.Close()
	<-c.Done()
	if err := c.SayGoodbye(&Command{Verb: "OUT"}); err == nil {
		t.Fatal("SayGoodbye on a closed connection reported success")
	}
	if err := c.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
}

func TestSayGoodbyeOnce(t *testing.T) {
	c, server := pipeWith(t, Config{Dialect: MSNP8, Goodbye: &Command{Verb: "OUT"}})
	lines := serverLines(server)
	if err := c.SayGoodbye(&Command{Verb: "OUT"}); err != nil {
		t.Fatal(err)
	}
	if l := next(t, lines); l != "OUT" {
		t.Fatalf("client wrote %q", l)
	}
	c.Close()
	if l, ok := <-lines; ok {
		t.Fatalf("a second goodbye: %q", l)
	}
}

func TestGoodbyeIsBoundedWhenTheServerDoesNotRead(t *testing.T) {
	defer func(d time.Duration) { GoodbyeTimeout = d }(GoodbyeTimeout)
	GoodbyeTimeout = 50 * time.Millisecond
	c, _ := pipeWith(t, Config{Dialect: MSNP8, Goodbye: &Command{Verb: "OUT"}})
	start := time.Now()
	c.Close() // nobody reads: the goodbye cannot be written
	if took := time.Since(start); took > time.Second {
		t.Fatalf("Close took %v behind its goodbye", took)
	}
}

func TestWriteBehindAStalledWriteEndsWithItsContext(t *testing.T) {
	c, _ := pipeWith(t, Config{Dialect: MSNP8}) // nobody reads: the first write stalls
	go c.Go(context.Background(), &Command{Verb: "SYN"})
	for len(c.wlock) == 0 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	errc := make(chan error, 1)
	go func() { errc <- c.Send(ctx, &Command{Verb: "PNG"}) }()
	select {
	case err := <-errc:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Send = %v, want its deadline", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the ping waited behind the stalled write")
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("Send took %v", took)
	}
}
