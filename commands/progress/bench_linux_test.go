//go:build linux

package progress

import (
	"context"
	"io"
	"net"
	"slices"
	"testing"
	"time"

	"msn/proto/msnftp"
)

// benchTransferSize is the size of one transfer of BenchmarkBarOverhead.
const benchTransferSize = 256 << 20

// BenchmarkBarOverhead measures what the progress line costs a transfer.
// Every iteration sends the same bytes over loopback MSNFTP three times,
// in rotating order: once counted and drawn by a Bar into a real
// pseudo-terminal at the default interval, and twice with neither. It
// reports the rates, the median over the iterations of bar/plain, and
// the median of plain/plain: the second plain run is the control, whose
// distance from 1 is the noise of the machine.
//
//	go test -run '^$' -bench BarOverhead -benchtime 100x ./commands/progress
func BenchmarkBarOverhead(b *testing.B) {
	master, slave, err := openPTY()
	if err != nil {
		b.Fatal(err)
	}
	defer master.Close()
	defer slave.Close()
	drained := make(chan struct{})
	go func() { // the terminal's reader; it ends when the pty closes
		defer close(drained)
		_, _ = io.Copy(io.Discard, master)
	}()
	terms := []io.Writer{slave, nil, nil} // bar, plain, control
	var total [3]time.Duration
	var barRatio, controlRatio []float64
	for i := 0; b.Loop(); i++ {
		var took [3]time.Duration
		for k := range 3 {
			j := (i + k) % 3
			start := time.Now()
			benchTransfer(b, terms[j])
			took[j] = time.Since(start)
			total[j] += took[j]
		}
		barRatio = append(barRatio, took[1].Seconds()/took[0].Seconds())
		controlRatio = append(controlRatio, took[1].Seconds()/took[2].Seconds())
	}
	slave.Close()
	master.Close()
	<-drained
	rate := func(d time.Duration) float64 { return benchTransferSize * float64(b.N) / d.Seconds() / 1e6 }
	b.ReportMetric(rate(total[0]), "bar-MB/s")
	b.ReportMetric(rate(total[1]), "plain-MB/s")
	b.ReportMetric(median(barRatio), "bar/plain")
	b.ReportMetric(median(controlRatio), "control/plain")
	b.ReportMetric(0, "ns/op")
}

// median returns the median of xs, which it sorts.
func median(xs []float64) float64 {
	slices.Sort(xs)
	return xs[len(xs)/2]
}

// zeros is a reader of endless zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// benchTransfer moves benchTransferSize bytes over loopback MSNFTP; with a
// terminal, the receiving side counts them and a Bar draws on it.
func benchTransfer(b *testing.B, term io.Writer) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	t := msnftp.Transfer{Handle: "bob@example.com", Cookie: "4242", Size: benchTransferSize}
	sent := make(chan error, 1)
	go func() { sent <- msnftp.Send(ctx, ln, t, zeros{}, msnftp.Options{}) }()
	conn, err := msnftp.Dial(ctx, []string{ln.Addr().String()})
	if err != nil {
		b.Fatal(err)
	}
	var dst io.Writer = io.Discard
	if term != nil {
		var c Counter
		bar := New(term, "photo.jpg", benchTransferSize, &c)
		bar.Start()
		defer bar.Stop()
		dst = c.Writer(dst)
	}
	if _, err := msnftp.Receive(ctx, conn, t, dst, msnftp.Options{}); err != nil {
		b.Fatal(err)
	}
	if err := <-sent; err != nil {
		b.Fatal(err)
	}
}

// BenchmarkBarDraw measures one redraw of the line into a pseudo-terminal,
// the work the Bar adds every Interval.
func BenchmarkBarDraw(b *testing.B) {
	master, slave, err := openPTY()
	if err != nil {
		b.Fatal(err)
	}
	drained := make(chan struct{})
	go func() { // the terminal's reader; it ends when the pty closes
		defer close(drained)
		_, _ = io.Copy(io.Discard, master)
	}()
	defer func() {
		slave.Close()
		master.Close()
		<-drained
	}()
	var c Counter
	bar := New(slave, "photo.jpg", 1<<40, &c)
	now := time.Now()
	for i := 0; b.Loop(); i++ {
		c.Add(1 << 20)
		bar.draw(now.Add(time.Duration(i)*time.Millisecond), false)
	}
}
