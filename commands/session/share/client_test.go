//go:build linux

package share

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"msn/proto"
)

func TestDialVersionMismatch(t *testing.T) {
	path := filepath.Join(shortDir(t), "s.sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	served := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			served <- err
			return
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := io.WriteString(c, "msn-share 99\n"); err != nil {
			served <- err
			return
		}
		// The client hangs up without a word.
		n, err := io.Copy(io.Discard, c)
		if err == nil && n != 0 {
			err = errors.New("the client wrote to a holder of another version")
		}
		served <- err
	}()
	_, err = Dial(testContext(t), path, DialOptions{})
	var ve *VersionError
	if !errors.As(err, &ve) || ve.Holder != 99 || ve.Client != Version {
		t.Fatalf("Dial to a holder of version 99: %v", err)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the fake holder did not finish")
	}
}

// rawConn connects to path without the client, reading lines with a
// deadline.
type rawConn struct {
	c  net.Conn
	br *bufio.Reader
}

func dialRaw(t *testing.T, path string) *rawConn {
	t.Helper()
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	return &rawConn{c: c, br: bufio.NewReader(c)}
}

func (r *rawConn) write(t *testing.T, s string) {
	t.Helper()
	if _, err := io.WriteString(r.c, s); err != nil {
		t.Fatal(err)
	}
}

func (r *rawConn) line(t *testing.T) string {
	t.Helper()
	s, err := r.br.ReadString('\n')
	if err != nil {
		t.Fatalf("reading a line: %q, %v", s, err)
	}
	return s
}

func (r *rawConn) frame(t *testing.T) *frame {
	t.Helper()
	var f frame
	if err := json.Unmarshal([]byte(r.line(t)), &f); err != nil {
		t.Fatal(err)
	}
	return &f
}

func TestHelloOtherVersion(t *testing.T) {
	b := newIdleBackend()
	_, path := serveTest(t, b)
	for range 5 { // the End frame must not race the hang-up
		r := dialRaw(t, path)
		if g := r.line(t); g != string(greetingLine()) {
			t.Fatalf("greeting %q", g)
		}
		r.write(t, `{"hello":{"version":99}}`+"\n")
		f := r.frame(t)
		if f.End == nil || f.End.Kind != kindVersion || f.End.Code != Version {
			t.Fatalf("answer to a hello of version 99: %+v", f)
		}
		var ve *VersionError
		if err := decodeError(f.End); !errors.As(err, &ve) || ve.Holder != Version {
			t.Errorf("decoded %v", err)
		}
		if rest, err := io.ReadAll(r.br); err != nil || len(rest) != 0 {
			t.Errorf("after the End frame: %q, %v", rest, err)
		}
	}
	if n := b.readyCalls(); n != 0 {
		t.Errorf("Ready called %d times for clients of another version", n)
	}
}

func TestPipelinedRequest(t *testing.T) {
	// A client may send a request right after its hello, in one write:
	// the request must not be lost with the handshake's buffer.
	b := signIn(t)
	_, path := serveTest(t, b)
	r := dialRaw(t, path)
	r.line(t)
	r.write(t, `{"hello":{"version":1}}`+"\n"+`{"id":1,"op":"set-status","args":{"status":"AWY","group":0}}`+"\n")
	if f := r.frame(t); f.Welcome == nil {
		t.Fatalf("no welcome: %+v", f)
	}
	if f := r.frame(t); f.ID != 1 || f.Reply == nil || f.Reply.Err != nil {
		t.Fatalf("the pipelined request's reply: %+v", f)
	}
}

func TestUnknownRequest(t *testing.T) {
	b := signIn(t)
	_, path := serveTest(t, b)
	r := dialRaw(t, path)
	r.line(t)
	r.write(t, `{"hello":{"version":1}}`+"\n")
	r.frame(t)
	r.write(t, `{"id":5,"op":"self-destruct"}`+"\n"+`{"id":0,"op":"set-status"}`+"\n"+`{"id":6,"op":"set-status","args":{"status":"NLN"}}`+"\n")
	if f := r.frame(t); f.ID != 5 || f.Reply == nil || f.Reply.Err == nil || f.Reply.Err.Kind != kindOther {
		t.Fatalf("an unknown request: %+v", f)
	}
	if f := r.frame(t); f.ID != 6 || f.Reply == nil || f.Reply.Err != nil {
		t.Fatalf("the request after: %+v", f)
	}
}

func TestForeignPeerRefused(t *testing.T) {
	b := newIdleBackend()
	path := filepath.Join(shortDir(t), "s.sock")
	h, err := serveAs(path, "test", b, os.Getuid()+1)
	if err != nil {
		t.Fatal(err)
	}
	defer closeHolder(t, h, nil)

	if cl, err := Dial(testContext(t), path, DialOptions{}); err == nil {
		cl.Close()
		t.Fatal("a client of another user was served")
	}
	// Nothing is said to it, not even the greeting. (The hello may
	// find the connection closed already.)
	r := dialRaw(t, path)
	_, _ = io.WriteString(r.c, `{"hello":{"version":1}}`+"\n")
	got, err := io.ReadAll(r.br)
	if len(got) != 0 {
		t.Errorf("the holder wrote %q to a foreign peer", got)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Errorf("the holder did not hang up: %v", err)
	}
	if n := b.readyCalls(); n != 0 || h.Clients() != 0 {
		t.Errorf("a foreign peer got as far as Ready (%d) or joined (%d)", n, h.Clients())
	}
}

func TestHolderCloseReason(t *testing.T) {
	for _, tc := range []struct {
		name   string
		reason error
		class  error
	}{
		{"nil", nil, ErrHolderEnded},
		{"elsewhere", proto.ErrSignedInElsewhere, proto.ErrSignedInElsewhere},
		{"shutdown", proto.ErrServerShutdown, proto.ErrServerShutdown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := signIn(t)
			h, path := serveTest(t, b)
			cl := dialTest(t, path, DialOptions{})
			idle := dialTest(t, path, DialOptions{})

			b.gate.hold.Store(true)
			inFlight := make(chan error, 1)
			go func() {
				_, err := cl.AddContact(testContext(t), proto.ForwardList, "carol@example.com", "", proto.NoGroup)
				inFlight <- err
			}()
			b.gate.waitHeld(t)
			closeHolder(t, h, tc.reason)

			select {
			case err := <-inFlight:
				if !errors.Is(err, tc.class) {
					t.Errorf("the in-flight call: %v, want %v", err, tc.class)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the in-flight call did not end")
			}
			for _, c := range []*Client{cl, idle} {
				select {
				case <-c.Done():
				case <-time.After(5 * time.Second):
					t.Fatal("the client did not end")
				}
				if err := c.SetStatus(testContext(t), proto.StatusOnline); !errors.Is(err, tc.class) {
					t.Errorf("a later call: %v, want %v", err, tc.class)
				}
				if err := c.Err(); !errors.Is(err, tc.class) {
					t.Errorf("Err: %v, want %v", err, tc.class)
				}
				if err := c.Close(); !errors.Is(err, tc.class) {
					t.Errorf("Close of an ended client: %v, want %v", err, tc.class)
				}
			}
		})
	}
}

func TestClientCloseEndsCalls(t *testing.T) {
	b := signIn(t)
	_, path := serveTest(t, b)
	cl := dialTest(t, path, DialOptions{})
	b.gate.hold.Store(true)
	inFlight := make(chan error, 1)
	go func() {
		_, err := cl.Block(testContext(t), "bob@example.com")
		inFlight <- err
	}()
	b.gate.waitHeld(t)
	if err := cl.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	select {
	case err := <-inFlight:
		if err == nil {
			t.Error("the in-flight call succeeded after Close")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the in-flight call did not end")
	}
	select {
	case <-cl.Done():
	default:
		t.Error("Done is open after Close")
	}
}

func TestCallDeadline(t *testing.T) {
	b := signIn(t)
	_, path := serveTest(t, b)
	cl := dialTest(t, path, DialOptions{})
	b.gate.hold.Store(true)
	ctx := testContext(t)
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := cl.AddGroup(short, "Work"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a call past its deadline: %v", err)
	}
	if err := cl.Err(); err != nil {
		t.Errorf("the client ended with a call's deadline: %v", err)
	}
}

func TestClientHangsUpMidRequest(t *testing.T) {
	b := signIn(t)
	path := filepath.Join(shortDir(t), "s.sock")
	before := goleak.IgnoreCurrent()
	h, err := Serve(path, "test", b)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := Dial(testContext(t), path, DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b.gate.hold.Store(true)
	inFlight := make(chan error, 1)
	go func() {
		_, err := cl.SetFriendlyName(testContext(t), "Alice")
		inFlight <- err
	}()
	b.gate.waitHeld(t)
	cl.Close()
	select {
	case <-inFlight:
	case <-time.After(5 * time.Second):
		t.Fatal("the call did not end with its client")
	}
	// The request outlives its client, but not the holder.
	closeHolder(t, h, nil)
	goleak.VerifyNone(t, before)
}

func TestSlowClientDropped(t *testing.T) {
	b := newIdleBackend()
	h, path := serveTest(t, b)
	release := make(chan struct{})
	var once sync.Once
	releaseOnce := func() { once.Do(func() { close(release) }) }
	stuck := make(chan struct{}, 1)
	slow := dialTest(t, path, DialOptions{Engine: proto.Options{Handler: func(ev proto.Event) {
		if p, ok := ev.(*proto.Presence); ok && !p.Initial {
			select {
			case stuck <- struct{}{}:
			default:
			}
			<-release // the client stops reading
		}
	}}})
	defer releaseOnce()

	// The first event stops the client's reader.
	bob := &proto.Presence{Email: "bob@example.com", Name: strings.Repeat("B", 100), Status: proto.StatusOnline}
	h.Publish(bob)
	select {
	case <-stuck:
	case <-time.After(5 * time.Second):
		t.Fatal("the client was never given an event")
	}
	deadline := time.Now().Add(10 * time.Second)
	published := 0
	for h.Clients() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the slow client was not dropped after %d events", published)
		}
		start := time.Now()
		h.Publish(bob)
		if d := time.Since(start); d > time.Second {
			t.Fatalf("Publish blocked for %v", d)
		}
		published++
	}
	if published < maxQueued {
		t.Errorf("dropped after %d events, fewer than the queue holds", published)
	}
	releaseOnce()
	select {
	case <-slow.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the dropped client did not end")
	}
	if err := slow.Err(); !errors.Is(err, ErrHolderEnded) {
		t.Errorf("the dropped client ended with %v", err)
	}
}
