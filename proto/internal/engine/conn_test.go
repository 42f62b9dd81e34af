package engine

import (
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// pipe starts a Conn on one end of a net.Pipe and returns the other end.
func pipe(t *testing.T) (*Conn, net.Conn) {
	t.Helper()
	client, server := net.Pipe()
	c := New(client, Config{Dialect: MSNP8})
	c.Start()
	t.Cleanup(func() {
		server.Close()
		c.Close()
	})
	return c, server
}

func TestCloseOfHealthyConnectionReturnsNil(t *testing.T) {
	c, _ := pipe(t)
	if err := c.Close(); err != nil {
		t.Fatalf("Close = %v, want nil", err)
	}
	if !errors.Is(c.Err(), ErrClosed) {
		t.Fatalf("Err = %v, want ErrClosed", c.Err())
	}
}

func TestCloseAfterHangUpReturnsNil(t *testing.T) {
	c, server := pipe(t)
	server.Close()
	<-c.Done()
	if err := c.Close(); err != nil {
		t.Fatalf("Close = %v, want nil after the server hung up", err)
	}
}

func TestCloseReturnsTheErrorThatEndedTheConnection(t *testing.T) {
	c, server := pipe(t)
	go io.WriteString(server, "MSG a@b.com Bob abc\r\n")
	<-c.Done()
	if err := c.Close(); !errors.Is(err, ErrProtocol) {
		t.Fatalf("Close = %v, want the protocol error", err)
	}
}

func TestWriteEndsWithTheContext(t *testing.T) {
	c, _ := pipe(t) // nobody reads the server end: the write blocks
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(10*time.Millisecond, cancel)
	call := c.Go(ctx, &Command{Verb: "PNG"})
	wctx, wcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer wcancel()
	if _, err := call.Wait(wctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("call = %v, want the write cancelled", err)
	}
	if !errors.Is(c.Err(), context.Canceled) {
		t.Fatalf("Err = %v: a write cut short must end the connection", c.Err())
	}
}

func TestEndedContextSendsNothing(t *testing.T) {
	c, _ := pipe(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	call := c.Go(ctx, &Command{Verb: "PNG"})
	select {
	case <-call.Done():
	default:
		t.Fatal("a call whose context had ended is still pending")
	}
	if !errors.Is(call.Err, context.Canceled) {
		t.Fatalf("call = %v", call.Err)
	}
	if err := c.Err(); err != nil {
		t.Fatalf("Err = %v: nothing was written, the connection stays up", err)
	}
	if err := c.Send(ctx, &Command{Verb: "OUT"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Send = %v", err)
	}
}
