//go:build linux

package share

import (
	"context"
	"errors"
	"testing"
	"time"

	"msn/proto"
)

func TestReadyErrorReachesTheClient(t *testing.T) {
	b := newIdleBackend()
	b.readyErr = proto.ErrServerShutdown
	_, path := serveTest(t, b)
	for range 5 { // the End frame must not race the hang-up
		_, err := Dial(testContext(t), path, DialOptions{})
		if !errors.Is(err, proto.ErrServerShutdown) {
			t.Fatalf("Dial while the holder cannot describe its session: %v", err)
		}
	}
}

func TestDialWaitsForReady(t *testing.T) {
	// The holder's list may take longer to sync than a greeting takes:
	// Dial waits for the welcome as long as its context allows.
	b := newIdleBackend()
	b.readyIn, b.readyOut = make(chan struct{}), make(chan struct{})
	_, path := serveTest(t, b)
	dialed := make(chan error, 1)
	go func() {
		cl, err := Dial(testContext(t), path, DialOptions{})
		if err == nil {
			err = cl.Close()
		}
		dialed <- err
	}()
	select {
	case <-b.readyIn:
	case <-time.After(5 * time.Second):
		t.Fatal("Ready was not called")
	}
	// Past the greeting's bound, the client still waits.
	timer := time.NewTimer(dialTimeout + 500*time.Millisecond)
	defer timer.Stop()
	select {
	case err := <-dialed:
		t.Fatalf("Dial gave up while the holder was getting ready: %v", err)
	case <-timer.C:
	}
	close(b.readyOut)
	select {
	case err := <-dialed:
		if err != nil {
			t.Fatalf("Dial: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Dial did not return after Ready")
	}
}

func TestDialCanceledWhileWaiting(t *testing.T) {
	b := newIdleBackend()
	b.readyIn, b.readyOut = make(chan struct{}), make(chan struct{})
	defer close(b.readyOut)
	_, path := serveTest(t, b)
	ctx, cancel := context.WithCancel(testContext(t))
	dialed := make(chan error, 1)
	go func() {
		cl, err := Dial(ctx, path, DialOptions{})
		if err == nil {
			cl.Close()
		}
		dialed <- err
	}()
	select {
	case <-b.readyIn:
	case <-time.After(5 * time.Second):
		t.Fatal("Ready was not called")
	}
	cancel()
	select {
	case err := <-dialed:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Dial canceled: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Dial did not end with its context")
	}
}

func TestExpiredContextKeepsTheClient(t *testing.T) {
	// A call whose context has already ended fails alone: the client
	// and its connection to the holder go on.
	b := signIn(t)
	_, path := serveTest(t, b)
	cl := dialTest(t, path, DialOptions{})
	expired, cancel := context.WithDeadline(testContext(t), time.Now().Add(-time.Second))
	defer cancel()
	if err := cl.SetStatus(expired, proto.StatusAway); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a call with an expired context: %v", err)
	}
	canceled, cancel2 := context.WithCancel(testContext(t))
	cancel2()
	if err := cl.SetStatus(canceled, proto.StatusAway); !errors.Is(err, context.Canceled) {
		t.Errorf("a call with a canceled context: %v", err)
	}
	if err := cl.Err(); err != nil {
		t.Fatalf("the client ended: %v", err)
	}
	if err := cl.SetStatus(testContext(t), proto.StatusAway); err != nil {
		t.Errorf("the call after: %v", err)
	}
}
