package msnftp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"net"
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// benchSize is the transfer size of BenchmarkLoopback: 1 GiB, or
// MSNFTP_BENCH_SIZE (bytes, or with a K, M or G suffix for KiB, MiB, GiB).
func benchSize(b *testing.B) int64 {
	s := strings.TrimSpace(os.Getenv("MSNFTP_BENCH_SIZE"))
	if s == "" {
		return 1 << 30
	}
	shift := 0
	switch strings.ToUpper(s[len(s)-1:]) {
	case "K":
		shift = 10
	case "M":
		shift = 20
	case "G":
		shift = 30
	}
	if shift > 0 {
		s = s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		b.Fatalf("MSNFTP_BENCH_SIZE=%q: want a positive size like 1073741824 or 64M", os.Getenv("MSNFTP_BENCH_SIZE"))
	}
	return n << shift
}

// BenchmarkLoopback compares MSNFTP over loopback TCP with plain TCP
// copies of the same bytes, side by side: every iteration runs each
// variant once, in turn, so that the machine's ups and downs fall on all
// of them alike. It reports each variant's rate (MB/s), the ratios of
// msnftp to the two copies, and the peak heap of the process (both ends
// together) as peak-heap-MiB.
//
//	go test -run '^$' -bench Loopback -benchtime 5x ./proto/msnftp
//
// The copies: "io.Copy" is the plain copy (io.Copy at both ends, 32 KiB
// writes and 8 KiB reads into io.Discard); "copy-256k" uses 256 KiB
// buffers at both ends, as large as msnftp's batches. MSNFTP_BENCH_SIZE
// sets the size (default 1 GiB).
func BenchmarkLoopback(b *testing.B) {
	size := benchSize(b)
	patternTable()
	variants := []struct {
		name string
		run  func(b *testing.B, size int64)
	}{
		{"io.Copy", func(b *testing.B, size int64) { benchTCPCopy(b, size, 0) }},
		{"copy-256k", func(b *testing.B, size int64) { benchTCPCopy(b, size, copyBuffer) }},
		{"msnftp", func(b *testing.B, size int64) { benchMSNFTP(b, size, io.Discard) }},
		{"msnftp-sha256", benchSHA256},
	}
	took := make([]time.Duration, len(variants))
	b.ReportAllocs()
	peak := startPeakHeap()
	for b.Loop() {
		for i, v := range variants {
			start := time.Now()
			v.run(b, size)
			took[i] += time.Since(start)
		}
	}
	b.ReportMetric(peak.stop(), "peak-heap-MiB")
	rate := func(i int) float64 { return float64(size) * float64(b.N) / took[i].Seconds() / 1e6 }
	for i, v := range variants {
		b.ReportMetric(rate(i), v.name+"-MB/s")
	}
	b.ReportMetric(rate(2)/rate(0), "msnftp/io.Copy")
	b.ReportMetric(rate(2)/rate(1), "msnftp/copy-256k")
	b.ReportMetric(0, "ns/op") // the per-variant rates say it
}

// copyBuffer is the buffer size of the plain TCP copy: as large as the
// batches MSNFTP moves, so that the baseline is no weaker than the
// transfer it is compared with.
const copyBuffer = 256 << 10

// onlyReader and onlyWriter hide ReaderFrom and WriterTo, so that
// io.CopyBuffer uses the buffer it is given.
type (
	onlyReader struct{ io.Reader }
	onlyWriter struct{ io.Writer }
)

// benchTCPCopy copies the pattern over a plain TCP connection: a writer
// goroutine into the conn, the other end into io.Discard. With buf 0 it
// is io.Copy at both ends; otherwise reads and writes of buf bytes.
func benchTCPCopy(b *testing.B, size int64, buf int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	werr := make(chan error, 1)
	go func() {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			werr <- err
			return
		}
		_, err = copyWith(c, newPattern(size), buf)
		c.Close()
		werr <- err
	}()
	c, err := ln.Accept()
	if err != nil {
		b.Fatal(err)
	}
	n, err := copyWith(io.Discard, c, buf)
	c.Close()
	if e := <-werr; e != nil || err != nil || n != size {
		b.Fatalf("copied %d of %d bytes: %v, %v", n, size, e, err)
	}
}

// copyWith is io.Copy with buf 0, else a copy through a buffer of buf
// bytes.
func copyWith(dst io.Writer, src io.Reader, buf int) (int64, error) {
	if buf == 0 {
		return io.Copy(dst, src)
	}
	return io.CopyBuffer(onlyWriter{dst}, onlyReader{src}, make([]byte, buf))
}

// benchMSNFTP sends the pattern with Send and receives it with Receive
// into dst.
func benchMSNFTP(b *testing.B, size int64, dst io.Writer) {
	sendReceive(b, newPattern(size), dst, size)
}

// sendReceive sends size bytes of src with Send over loopback and
// receives them with Receive into dst, failing the benchmark unless all
// of them arrive.
func sendReceive(b *testing.B, src io.Reader, dst io.Writer, size int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	tr := testTransfer(size)
	serr := make(chan error, 1)
	go func() { serr <- Send(ctx, ln, tr, src, Options{}) }()
	conn, err := Dial(ctx, []string{ln.Addr().String()})
	if err != nil {
		cancel()
		<-serr
		b.Fatal(err)
	}
	n, rerr := Receive(ctx, conn, tr, dst, Options{})
	if err := <-serr; err != nil || rerr != nil || n != size {
		b.Fatalf("received %d of %d bytes: Send: %v; Receive: %v", n, size, err, rerr)
	}
}

var (
	digestMu sync.Mutex
	digests  = map[int64][]byte{}
)

// patternDigest is the SHA-256 of the first size bytes of the pattern.
func patternDigest(size int64) []byte {
	digestMu.Lock()
	defer digestMu.Unlock()
	if d, ok := digests[size]; ok {
		return d
	}
	h := sha256.New()
	io.Copy(h, newPattern(size))
	digests[size] = h.Sum(nil)
	return digests[size]
}

// benchSHA256 is benchMSNFTP with the digest computed beside the writes.
func benchSHA256(b *testing.B, size int64) {
	want := patternDigest(size)
	h := sha256.New()
	benchMSNFTP(b, size, h)
	if !bytes.Equal(h.Sum(nil), want) {
		b.Fatal("SHA-256 mismatch")
	}
}

// peakHeap samples the bytes in live heap objects until stopped.
type peakHeap struct {
	done chan struct{}
	peak chan uint64
}

func startPeakHeap() *peakHeap {
	p := &peakHeap{done: make(chan struct{}), peak: make(chan uint64, 1)}
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-p.done:
				p.peak <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return p
}

// stop ends the sampling and returns the peak in MiB.
func (p *peakHeap) stop() float64 {
	close(p.done)
	return float64(<-p.peak) / (1 << 20)
}
