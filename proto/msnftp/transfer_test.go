package msnftp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// loopback runs Send on a fresh 127.0.0.1 listener and Receive on a
// connection made with Dial, and returns both outcomes.
func loopback(t *testing.T, ctx context.Context, tr Transfer, src io.Reader, dst io.Writer, sopts, ropts Options) (sendErr error, n int64, recvErr error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sent := make(chan error, 1)
	go func() { sent <- Send(ctx, ln, tr, src, sopts) }()
	conn, err := Dial(ctx, []string{ln.Addr().String()})
	if err != nil {
		ln.Close()
		<-sent
		t.Fatal(err)
	}
	n, recvErr = Receive(ctx, conn, tr, dst, ropts)
	return <-sent, n, recvErr
}

func TestTransferSizes(t *testing.T) {
	for _, size := range []int64{0, 1, MaxBlock, MaxBlock + 1, 2 * MaxBlock, 7000, batchBlocks*MaxBlock + 1, 3*gatherSize + 5} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			var dst bytes.Buffer
			// Room for the whole file up front: growing the buffer
			// copies it, which under the race detector on a busy
			// machine can hold the receiver's BYE past fast's Idle.
			dst.Grow(int(size))
			commits := 0
			ropts := fast
			ropts.Commit = func() error {
				commits++
				if int64(dst.Len()) != size {
					t.Errorf("Commit ran after %d of %d bytes", dst.Len(), size)
				}
				return nil
			}
			serr, n, rerr := loopback(t, testCtx(t), testTransfer(size), newPattern(size), &dst, fast, ropts)
			if serr != nil || rerr != nil {
				t.Fatalf("Send: %v; Receive: %v", serr, rerr)
			}
			if n != size || !bytes.Equal(dst.Bytes(), pattern(size)) {
				t.Fatalf("received %d bytes (n=%d), want the %d-byte pattern", dst.Len(), n, size)
			}
			if commits != 1 {
				t.Errorf("Commit ran %d times", commits)
			}
		})
	}
}

func TestTransfer64MiB(t *testing.T) {
	const size = 64 << 20
	want := sha256.New()
	io.Copy(want, newPattern(size))
	got := sha256.New()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	serr, n, rerr := loopback(t, ctx, testTransfer(size), newPattern(size), got, Options{}, Options{})
	if serr != nil || rerr != nil {
		t.Fatalf("Send: %v; Receive: %v", serr, rerr)
	}
	if n != size || !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
		t.Fatalf("received %d bytes with SHA-256 %x, want %d bytes with %x", n, got.Sum(nil), size, want.Sum(nil))
	}
}

// TestReverseConnection has the sender connect (Sender-Connect: TRUE):
// the receiver still speaks first.
func TestReverseConnection(t *testing.T) {
	const size = 10000
	a, b := tcpPair(t)
	ctx := testCtx(t)
	sent := make(chan error, 1)
	go func() { sent <- SendConn(ctx, a, testTransfer(size), newPattern(size), fast) }()
	var dst bytes.Buffer
	n, err := Receive(ctx, b, testTransfer(size), &dst, fast)
	if serr := <-sent; serr != nil || err != nil {
		t.Fatalf("SendConn: %v; Receive: %v", serr, err)
	}
	if n != size || !bytes.Equal(dst.Bytes(), pattern(size)) {
		t.Fatalf("received %d bytes, want the pattern", n)
	}
}

// TestSourceLonger: the file grew after FIL; exactly Size bytes go out.
func TestSourceLonger(t *testing.T) {
	const size = 5000
	var dst bytes.Buffer
	src := newPattern(size + 100000)
	serr, n, rerr := loopback(t, testCtx(t), testTransfer(size), src, &dst, fast, fast)
	if serr != nil || rerr != nil {
		t.Fatalf("Send: %v; Receive: %v", serr, rerr)
	}
	if n != size || !bytes.Equal(dst.Bytes(), pattern(size)) {
		t.Fatalf("received %d bytes, want %d", n, size)
	}
	if src.off != size {
		t.Errorf("Send read %d bytes of the source, want %d", src.off, size)
	}
}

// TestSourceShort: the file shrank; the sender cancels.
func TestSourceShort(t *testing.T) {
	for _, short := range []int64{0, 3000, 600000} {
		t.Run(fmt.Sprint(short), func(t *testing.T) {
			const size = 1 << 20
			var dst bytes.Buffer
			serr, n, rerr := loopback(t, testCtx(t), testTransfer(size), newPattern(short), &dst, fast, fast)
			wantErr(t, serr, ErrSourceShort)
			wantErr(t, rerr, ErrCancelled)
			if n != short || !bytes.Equal(dst.Bytes(), pattern(short)) {
				t.Fatalf("received %d bytes, want the first %d", n, short)
			}
		})
	}
}

// failingReader fails where its source ends.
type failingReader struct {
	r io.Reader
}

func (f failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errors.New("disk on fire")
	}
	return n, err
}

func TestSourceError(t *testing.T) {
	var dst bytes.Buffer
	serr, _, rerr := loopback(t, testCtx(t), testTransfer(100000), failingReader{newPattern(5000)}, &dst, fast, fast)
	if serr == nil || errors.Is(serr, ErrSourceShort) || !bytes.Contains([]byte(serr.Error()), []byte("disk on fire")) {
		t.Errorf("Send: %v, want the source's error", serr)
	}
	wantErr(t, rerr, ErrCancelled)
}

// hookReader runs hook once when more than after bytes have been read.
type hookReader struct {
	r     io.Reader
	after int64
	read  int64
	hook  func()
}

func (h *hookReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.read += int64(n)
	if h.hook != nil && h.read > h.after {
		h.hook()
		h.hook = nil
	}
	return n, err
}

// hookWriter runs hook once when more than after bytes have been written.
type hookWriter struct {
	w       io.Writer
	after   int64
	written int64
	hook    func()
	calls   int
}

func (h *hookWriter) Write(p []byte) (int, error) {
	h.calls++
	n, err := h.w.Write(p)
	h.written += int64(n)
	if h.hook != nil && h.written > h.after {
		h.hook()
		h.hook = nil
	}
	return n, err
}

func TestSenderContextCancel(t *testing.T) {
	const size = 8 << 20
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t)
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	src := &hookReader{r: newPattern(size), after: 1 << 20, hook: cancel}
	sent := make(chan error, 1)
	go func() { sent <- Send(sctx, ln, testTransfer(size), src, fast) }()
	conn, err := Dial(ctx, []string{ln.Addr().String()})
	if err != nil {
		cancel()
		<-sent
		t.Fatal(err)
	}
	var dst bytes.Buffer
	n, rerr := Receive(ctx, conn, testTransfer(size), &dst, fast)
	serr := <-sent
	wantErr(t, serr, context.Canceled)
	wantErr(t, rerr, ErrCancelled)
	if n >= size || !bytes.Equal(dst.Bytes(), pattern(n)) {
		t.Errorf("received %d bytes, want a prefix of the pattern", n)
	}
}

func TestReceiverContextCancel(t *testing.T) {
	const size = 64 << 20
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t)
	sent := make(chan error, 1)
	go func() { sent <- Send(ctx, ln, testTransfer(size), newPattern(size), fast) }()
	conn, err := Dial(ctx, []string{ln.Addr().String()})
	if err != nil {
		ln.Close()
		<-sent
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	dst := &hookWriter{w: io.Discard, after: 1 << 20, hook: cancel}
	n, rerr := Receive(rctx, conn, testTransfer(size), dst, fast)
	serr := <-sent
	wantErr(t, rerr, context.Canceled)
	wantErr(t, serr, ErrCancelled)
	if n >= size {
		t.Errorf("received %d bytes after the cancel", n)
	}
}

func TestCommitError(t *testing.T) {
	for _, tc := range []struct {
		name    string
		err     error
		wantBye uint32 // 0: CCL
	}{
		{"fsync", errors.New("fsync failed"), 0},
		{"ENOSPC", fmt.Errorf("fsync: %w", syscall.ENOSPC), ByeOutOfSpace},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const size = 9000
			opts := fast
			opts.Commit = func() error { return tc.err }
			var dst bytes.Buffer
			serr, n, rerr := loopback(t, testCtx(t), testTransfer(size), newPattern(size), &dst, fast, opts)
			if !errors.Is(rerr, tc.err) {
				t.Errorf("Receive: %v, want the Commit error", rerr)
			}
			if n != size {
				t.Errorf("Receive wrote %d bytes, want %d", n, size)
			}
			if tc.wantBye == 0 {
				wantErr(t, serr, ErrCancelled)
			} else {
				var be *ByeError
				if !errors.As(serr, &be) || be.Code != tc.wantBye {
					t.Errorf("Send: %v, want BYE %d", serr, tc.wantBye)
				}
			}
		})
	}
}

// errWriter fails every write with err.
type errWriter struct{ err error }

func (w errWriter) Write(p []byte) (int, error) { return 0, w.err }

func TestDestinationError(t *testing.T) {
	const size = 1 << 20
	serr, n, rerr := loopback(t, testCtx(t), testTransfer(size), newPattern(size), errWriter{syscall.ENOSPC}, fast, fast)
	wantErr(t, rerr, syscall.ENOSPC)
	if n != 0 {
		t.Errorf("Receive reported %d bytes written", n)
	}
	var be *ByeError
	if !errors.As(serr, &be) || be.Code != ByeOutOfSpace {
		t.Errorf("Send: %v, want BYE %d", serr, ByeOutOfSpace)
	}
}

// TestReceiverWritesInLargeChunks checks that payloads are gathered:
// the destination sees a few large writes, not one per block.
func TestReceiverWritesInLargeChunks(t *testing.T) {
	const size = 4 << 20
	dst := &hookWriter{w: io.Discard}
	serr, n, rerr := loopback(t, testCtx(t), testTransfer(size), newPattern(size), dst, fast, fast)
	if serr != nil || rerr != nil || n != size {
		t.Fatalf("Send: %v; Receive: %d, %v", serr, n, rerr)
	}
	if want := size/gatherSize + 1; dst.calls > want {
		t.Errorf("%d destination writes for %d bytes, want at most %d", dst.calls, size, want)
	}
}

// countConn counts writes.
type countConn struct {
	net.Conn
	writes atomic.Int64
}

func (c *countConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// TestSenderBatchesWrites checks that the sender writes many blocks per
// network write, and that every block is framed as the protocol says.
func TestSenderBatchesWrites(t *testing.T) {
	const size = 4<<20 + 77
	a, b := tcpPair(t)
	cc := &countConn{Conn: a}
	done := goFake(b, func(f *fake) error {
		if err := f.receiverHandshake(testHandle, testCookie, size); err != nil {
			return err
		}
		got, err := f.readPayload(size)
		if err != nil {
			return err
		}
		if !bytes.Equal(got, pattern(size)) {
			return errors.New("fake: wrong payload")
		}
		return f.send("BYE 16777989\r\n")
	})
	opts := fast
	opts.Idle = 5 * time.Second       // the checking receiver is slow under -race
	opts.Handshake = 10 * time.Second // and its BYE may come late on a busy machine
	if err := SendConn(testCtx(t), cc, testTransfer(size), newPattern(size), opts); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if want := int64(2 + size/(batchBlocks*MaxBlock) + 1); cc.writes.Load() > want {
		t.Errorf("%d connection writes for %d bytes, want at most %d", cc.writes.Load(), size, want)
	}
}
