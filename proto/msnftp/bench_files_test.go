//go:build linux

package msnftp

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// BenchmarkLoopbackFiles compares, file to file over loopback, a plain
// copy with 256 KiB buffers at both ends with MSNFTP as the commands run
// it. Every iteration runs each variant once, in turn. The files are on
// /dev/shm when it is there. Besides the rates it reports each variant's
// CPU time (user and system, both ends, one process) per GiB, which a busy
// machine disturbs less than the rates.
//
//	go test -run '^$' -bench LoopbackFiles -benchtime 10x ./proto/msnftp
func BenchmarkLoopbackFiles(b *testing.B) {
	size := benchSize(b)
	dir := b.TempDir()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "msnftp-bench-"); err == nil {
			dir = d
			b.Cleanup(func() { os.RemoveAll(d) })
		}
	}
	src := filepath.Join(dir, "src")
	f, err := os.Create(src)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(f, newPattern(size)); err != nil {
		b.Fatal(err)
	}
	f.Close()
	dst := filepath.Join(dir, "dst")
	variants := []struct {
		name string
		run  func(b *testing.B, src, dst *os.File, size int64)
	}{
		{"copy-256k", benchFileCopy},
		{"msnftp", benchFileMSNFTP},
	}
	took := make([]time.Duration, len(variants))
	cpu := make([]time.Duration, len(variants))
	for i := 0; b.Loop(); i++ {
		for k := range variants {
			j := (i + k) % len(variants)
			s, err := os.Open(src)
			if err != nil {
				b.Fatal(err)
			}
			d, err := os.Create(dst)
			if err != nil {
				b.Fatal(err)
			}
			c0, t0 := cpuTime(), time.Now()
			variants[j].run(b, s, d, size)
			took[j] += time.Since(t0)
			cpu[j] += cpuTime() - c0
			s.Close()
			d.Close()
			os.Remove(dst)
		}
	}
	gib := float64(size) * float64(b.N) / (1 << 30)
	for j, v := range variants {
		b.ReportMetric(float64(size)*float64(b.N)/took[j].Seconds()/1e6, v.name+"-MB/s")
		b.ReportMetric(cpu[j].Seconds()*1000/gib, v.name+"-CPU-ms/GiB")
	}
	b.ReportMetric(took[0].Seconds()/took[1].Seconds(), "msnftp/copy")
	b.ReportMetric(0, "ns/op")
}

// cpuTime returns the user and system time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchFileCopy copies src to dst over loopback with 256 KiB reads and
// writes at both ends.
func benchFileCopy(b *testing.B, src, dst *os.File, size int64) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	werr := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			werr <- err
			return
		}
		defer c.Close()
		buf := make([]byte, copyBuffer)
		for left := size; left > 0; {
			n, err := io.ReadFull(c, buf[:min(int64(len(buf)), left)])
			if err != nil {
				werr <- err
				return
			}
			if _, err := dst.Write(buf[:n]); err != nil {
				werr <- err
				return
			}
			left -= int64(n)
		}
		werr <- nil
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, copyBuffer)
	for left := size; left > 0; {
		n, err := io.ReadFull(src, buf[:min(int64(len(buf)), left)])
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Write(buf[:n]); err != nil {
			b.Fatal(err)
		}
		left -= int64(n)
	}
	if err := <-werr; err != nil {
		b.Fatal(err)
	}
	c.Close()
}

// benchFileMSNFTP sends src to dst over loopback MSNFTP.
func benchFileMSNFTP(b *testing.B, src, dst *os.File, size int64) {
	sendReceive(b, src, dst, size)
}
