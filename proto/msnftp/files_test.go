package msnftp

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

// receiveToFile runs Receive of size bytes against a scripted sender into
// a file, and returns what the file holds.
func receiveToFile(t *testing.T, size int64, opts Options, script func(f *fake) error) (int64, []byte, error) {
	t.Helper()
	a, b := tcpPair(t)
	done := goFake(b, script)
	dst, err := os.Create(filepath.Join(t.TempDir(), "in"))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	n, err := Receive(testCtx(t), a, testTransfer(size), dst, opts)
	if ferr := <-done; ferr != nil {
		t.Errorf("scripted sender: %v", ferr)
	}
	got, rerr := os.ReadFile(dst.Name())
	if rerr != nil {
		t.Fatal(rerr)
	}
	if n != int64(len(got)) {
		t.Errorf("Receive reported %d bytes, wrote %d", n, len(got))
	}
	return n, got, err
}

// TestTransferFileToFile sends files to files, as sendfile and recvfile
// do; both ends count the bytes they moved through Options.Progress.
func TestTransferFileToFile(t *testing.T) {
	for _, size := range []int64{0, 1, MaxBlock, MaxBlock + 1, batchBlocks * MaxBlock, batchBlocks*MaxBlock + 1, 3*recvBufSize + 5} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			dir := t.TempDir()
			want := pattern(size)
			if err := os.WriteFile(filepath.Join(dir, "out"), want, 0o600); err != nil {
				t.Fatal(err)
			}
			src, err := os.Open(filepath.Join(dir, "out"))
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			dst, err := os.Create(filepath.Join(dir, "in"))
			if err != nil {
				t.Fatal(err)
			}
			defer dst.Close()
			var sent, written atomic.Int64
			sopts, ropts := fast, fast
			sopts.Progress = func(n int64) { sent.Add(n) }
			ropts.Progress = func(n int64) { written.Add(n) }
			serr, n, rerr := loopback(t, testCtx(t), testTransfer(size), src, dst, sopts, ropts)
			if serr != nil || rerr != nil || n != size {
				t.Fatalf("Send: %v; Receive: %d, %v", serr, n, rerr)
			}
			got, err := os.ReadFile(dst.Name())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("the file received (%d bytes) differs from the one sent (%d)", len(got), size)
			}
			if sent.Load() != size || written.Load() != size {
				t.Errorf("Progress counted %d sent and %d written, want %d", sent.Load(), written.Load(), size)
			}
		})
	}
}

// TestSendFileShrinks: a file shorter than announced is cancelled after
// what it had.
func TestSendFileShrinks(t *testing.T) {
	const size, have = 10000, 4100
	path := filepath.Join(t.TempDir(), "out")
	if err := os.WriteFile(path, pattern(have), 0o600); err != nil {
		t.Fatal(err)
	}
	src, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var dst bytes.Buffer
	serr, n, rerr := loopback(t, testCtx(t), testTransfer(size), src, &dst, fast, fast)
	wantErr(t, serr, ErrSourceShort)
	wantErr(t, rerr, ErrCancelled)
	if n != have || !bytes.Equal(dst.Bytes(), pattern(have)) {
		t.Errorf("received %d bytes, want the %d the file had", n, have)
	}
}
