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

// BenchmarkLoopback compares MSNFTP over loopback TCP with a plain TCP
// copy of the same bytes, and reports the peak heap of the process (both
// ends together) as peak-heap-MiB.
//
//	MSNFTP_BENCH_SIZE=1G go test -run '^$' -bench Loopback -benchtime 3x ./proto/msnftp
func BenchmarkLoopback(b *testing.B) {
	size := benchSize(b)
	patternTable()
	for _, bc := range []struct {
		name string
		run  func(b *testing.B, size int64)
	}{
		{"tcp-copy", benchTCPCopy},
		{"msnftp", func(b *testing.B, size int64) { benchMSNFTP(b, size, io.Discard) }},
		{"msnftp-sha256", benchSHA256},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			peak := startPeakHeap()
			for b.Loop() {
				bc.run(b, size)
			}
			b.ReportMetric(peak.stop(), "peak-heap-MiB")
		})
	}
}

// benchTCPCopy copies the pattern over a plain TCP connection: a writer
// goroutine io.Copy-ing into the conn, io.Copy to io.Discard at the other
// end.
func benchTCPCopy(b *testing.B, size int64) {
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
		_, err = io.Copy(c, newPattern(size))
		c.Close()
		werr <- err
	}()
	c, err := ln.Accept()
	if err != nil {
		b.Fatal(err)
	}
	n, err := io.Copy(io.Discard, c)
	c.Close()
	if e := <-werr; e != nil || err != nil || n != size {
		b.Fatalf("copied %d of %d bytes: %v, %v", n, size, e, err)
	}
}

// benchMSNFTP sends the pattern with Send and receives it with Receive
// into dst.
func benchMSNFTP(b *testing.B, size int64, dst io.Writer) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	tr := testTransfer(size)
	serr := make(chan error, 1)
	go func() { serr <- Send(ctx, ln, tr, newPattern(size), Options{}) }()
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
