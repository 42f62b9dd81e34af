package progress

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
)

func TestCounter(t *testing.T) {
	var c Counter
	c.Add(5)
	c.Add(7)
	if got := c.Load(); got != 12 {
		t.Errorf("Load = %d, want 12", got)
	}
}

func TestCounterConcurrent(t *testing.T) {
	var c Counter
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				c.Add(1)
			}
		})
	}
	wg.Go(func() {
		for range 1000 {
			_ = c.Load()
		}
	})
	wg.Wait()
	if got := c.Load(); got != 8000 {
		t.Errorf("Load = %d, want 8000", got)
	}
}

func TestCounterWriterReader(t *testing.T) {
	var c Counter
	var dst bytes.Buffer
	data := strings.Repeat("x", 100_000)
	n, err := io.Copy(c.Writer(&dst), c.Reader(strings.NewReader(data)))
	if err != nil || n != int64(len(data)) {
		t.Fatalf("Copy = %d, %v", n, err)
	}
	if dst.String() != data {
		t.Error("data changed on the way")
	}
	if got := c.Load(); got != 2*int64(len(data)) {
		t.Errorf("Load = %d, want %d (read plus written)", got, 2*len(data))
	}
}

// shortWriter accepts at most 3 bytes per call and then fails.
type shortWriter struct{}

func (shortWriter) Write(p []byte) (int, error) { return min(len(p), 3), io.ErrShortWrite }

func TestCounterWriterCountsPartialWrites(t *testing.T) {
	var c Counter
	n, err := c.Writer(shortWriter{}).Write([]byte("hello"))
	if n != 3 || err != io.ErrShortWrite {
		t.Errorf("Write = %d, %v", n, err)
	}
	if c.Load() != 3 {
		t.Errorf("Load = %d, want 3", c.Load())
	}
}
