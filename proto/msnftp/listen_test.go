package msnftp

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

// serve starts Send on a fresh listener and returns its address and
// outcome.
func serve(t *testing.T, ctx context.Context, tr Transfer, opts Options) (string, <-chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- Send(ctx, ln, tr, newPattern(tr.Size), opts) }()
	return ln.Addr().String(), done
}

// stranger connects to addr and plays script.
func stranger(t *testing.T, addr string, script func(f *fake) error) <-chan error {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return goFake(c, script)
}

// badUSR is a receiver with a wrong cookie, rejected before FIL.
func badUSR(handle, cookie string) func(f *fake) error {
	return func(f *fake) error {
		if err := f.send("VER MSNFTP\r\n"); err != nil {
			return err
		}
		if err := f.expect("VER MSNFTP"); err != nil {
			return err
		}
		if err := f.send("USR " + handle + " " + cookie + "\r\n"); err != nil {
			return err
		}
		return f.expectEnd("")
	}
}

// receiveAt runs a real receiver against addr.
func receiveAt(t *testing.T, ctx context.Context, addr string, tr Transfer) (int64, []byte, error) {
	t.Helper()
	c, err := Dial(ctx, []string{addr})
	if err != nil {
		return 0, nil, err
	}
	var dst bytes.Buffer
	n, err := Receive(ctx, c, tr, &dst, fast)
	return n, dst.Bytes(), err
}

// assertClosed checks that the listener at addr no longer answers.
func assertClosed(t *testing.T, addr string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err == nil {
		c.Close()
		t.Errorf("the listener at %s still accepts connections", addr)
	}
}

func TestSendStrangersThenReceiver(t *testing.T) {
	for name, script := range map[string]func(f *fake) error{
		"wrong cookie": badUSR(testHandle, "999"),
		"wrong handle": badUSR("eve@example.com", testCookie),
		"garbage": func(f *fake) error {
			if err := f.send("\x00\x01\x02garbage\r\n"); err != nil {
				return err
			}
			return f.expectEnd("")
		},
		"closes at once": func(f *fake) error { return nil },
	} {
		t.Run(name, func(t *testing.T) {
			const size = 7000
			ctx := testCtx(t)
			addr, done := serve(t, ctx, testTransfer(size), fast)
			if err := <-stranger(t, addr, script); err != nil {
				t.Fatal(err)
			}
			n, got, err := receiveAt(t, ctx, addr, testTransfer(size))
			if serr := <-done; serr != nil || err != nil {
				t.Fatalf("Send: %v; Receive: %v", serr, err)
			}
			if n != size || !bytes.Equal(got, pattern(size)) {
				t.Fatalf("received %d bytes", n)
			}
			assertClosed(t, addr)
		})
	}
}

// TestSendSilentStrangerDoesNotBlock: a connection that says nothing does
// not hold up the real receiver, and is closed once the transfer starts.
func TestSendSilentStrangerDoesNotBlock(t *testing.T) {
	const size = 7000
	ctx := testCtx(t)
	opts := fast
	opts.Handshake = 10 * time.Second
	opts.Idle = 10 * time.Second
	addr, done := serve(t, ctx, testTransfer(size), opts)
	silent := stranger(t, addr, func(f *fake) error {
		f.rest()
		return nil
	})
	time.Sleep(50 * time.Millisecond) // let Send accept the silent one first
	within(t, 2*time.Second, func() {
		n, _, err := receiveAt(t, ctx, addr, testTransfer(size))
		if serr := <-done; serr != nil || err != nil || n != size {
			t.Fatalf("Send: %v; Receive: %d, %v", serr, n, err)
		}
		<-silent
	})
}

// TestSendMaxAttempts: MaxAttempts bad connections end Send with ErrAuth
// and close the listener.
func TestSendMaxAttempts(t *testing.T) {
	ctx := testCtx(t)
	addr, done := serve(t, ctx, testTransfer(10), fast)
	for i := range MaxAttempts {
		if err := <-stranger(t, addr, badUSR(testHandle, "1")); err != nil {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	err := <-done
	wantErr(t, err, ErrAuth)
	if strings.Contains(err.Error(), testCookie) {
		t.Errorf("the error %q shows the cookie", err)
	}
	assertClosed(t, addr)
}

// TestSendWaitEnds: the context ends while Send waits for the receiver.
func TestSendWaitEnds(t *testing.T) {
	t.Run("deadline, nobody came", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(testCtx(t), 200*time.Millisecond)
		defer cancel()
		addr, done := serve(t, ctx, testTransfer(10), fast)
		err := <-done
		wantErr(t, err, ErrTimeout)
		wantErr(t, err, context.DeadlineExceeded)
		assertClosed(t, addr)
	})
	t.Run("deadline after a bad cookie", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(testCtx(t), 300*time.Millisecond)
		defer cancel()
		addr, done := serve(t, ctx, testTransfer(10), fast)
		if err := <-stranger(t, addr, badUSR(testHandle, "1")); err != nil {
			t.Fatal(err)
		}
		wantErr(t, <-done, ErrAuth)
		assertClosed(t, addr)
	})
	t.Run("cancelled during a handshake", func(t *testing.T) {
		ctx, cancel := context.WithCancel(testCtx(t))
		addr, done := serve(t, ctx, testTransfer(10), fast)
		silent := stranger(t, addr, func(f *fake) error {
			f.rest()
			return nil
		})
		time.Sleep(50 * time.Millisecond)
		cancel()
		err := <-done
		wantErr(t, err, context.Canceled)
		if errors.Is(err, ErrTimeout) {
			t.Errorf("a cancellation reads as a timeout: %v", err)
		}
		<-silent
		assertClosed(t, addr)
	})
}

// TestSendListenerClosed: the listener is closed on every way out.
func TestSendListenerClosed(t *testing.T) {
	t.Run("success", func(t *testing.T) {
		ctx := testCtx(t)
		addr, done := serve(t, ctx, testTransfer(10), fast)
		if _, _, err := receiveAt(t, ctx, addr, testTransfer(10)); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		assertClosed(t, addr)
	})
	t.Run("invalid transfer", func(t *testing.T) {
		addr, done := serve(t, testCtx(t), Transfer{Handle: testHandle, Size: 1}, fast)
		if err := <-done; err == nil {
			t.Fatal("Send accepted a transfer without a cookie")
		}
		assertClosed(t, addr)
	})
	t.Run("receiver cancels", func(t *testing.T) {
		const size = 64 << 20
		ctx := testCtx(t)
		addr, done := serve(t, ctx, testTransfer(size), fast)
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		peer := goFake(c, func(f *fake) error {
			if err := f.receiverHandshake(testHandle, testCookie, size); err != nil {
				return err
			}
			// The listener is closed once the receiver has authenticated.
			assertClosed(t, addr)
			return f.send("CCL\r\n")
		})
		if err := <-peer; err != nil {
			t.Fatal(err)
		}
		wantErr(t, <-done, ErrCancelled)
		assertClosed(t, addr)
	})
}

// TestSendAuthenticatedThenFails: the receiver that passed USR fails the
// rest of the handshake; its error is Send's, and nothing else is
// accepted.
func TestSendAuthenticatedThenFails(t *testing.T) {
	ctx := testCtx(t)
	addr, done := serve(t, ctx, testTransfer(10), fast)
	peer := stranger(t, addr, func(f *fake) error {
		for _, step := range []func() error{
			func() error { return f.send("VER MSNFTP\r\n") },
			func() error { return f.expect("VER MSNFTP") },
			func() error { return f.send("USR " + testHandle + " " + testCookie + "\r\n") },
			func() error { return f.expect("FIL 10") },
			func() error { return f.send("CCL\r\n") },
		} {
			if err := step(); err != nil {
				return err
			}
		}
		return f.expectEnd("")
	})
	if err := <-peer; err != nil {
		t.Fatal(err)
	}
	wantErr(t, <-done, ErrCancelled)
	assertClosed(t, addr)
}
