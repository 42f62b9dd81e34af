package msnftp

import (
	"context"
	"errors"
	"net"
	"testing"
)

// refusedAddr returns a loopback address nobody listens on.
func refusedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestDial(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan struct{})
	go func() {
		defer close(accepted)
		if c, err := ln.Accept(); err == nil {
			c.Close()
		}
	}()
	c, err := Dial(testCtx(t), []string{"", refusedAddr(t), ln.Addr().String()})
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	c.Close()
	<-accepted
}

func TestDialFails(t *testing.T) {
	good, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer good.Close()
	// At most two addresses are tried: the third, good one is not.
	if _, err := Dial(testCtx(t), []string{refusedAddr(t), refusedAddr(t), good.Addr().String()}); err == nil {
		t.Error("Dial tried a third address")
	}
	if _, err := Dial(testCtx(t), nil); err == nil {
		t.Error("Dial with no address succeeded")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Dial(ctx, []string{good.Addr().String()})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Dial with a cancelled context: %v", err)
	}
}
