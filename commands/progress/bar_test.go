package progress

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type lockedBuffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes int
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.writes++
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// draws splits output into the lines drawn, without "\r" and "\x1b[K".
func draws(t *testing.T, out string) []string {
	t.Helper()
	if !strings.HasPrefix(out, "\r") {
		t.Fatalf("output %q does not start with \\r", out)
	}
	var lines []string
	for _, d := range strings.Split(out, "\r")[1:] {
		d = strings.TrimSuffix(d, "\n")
		line, ok := strings.CutSuffix(d, "\x1b[K")
		if !ok {
			t.Errorf("draw %q does not end with \\x1b[K", d)
		}
		lines = append(lines, line)
	}
	return lines
}

func TestBarStopWithoutStart(t *testing.T) {
	var out lockedBuffer
	b := New(&out, "x.bin", 2048, nil)
	b.Stop()
	b.Stop()
	b.Start() // after Stop: nothing
	b.Stop()
	want := "\rx.bin  0 B / 2.0 KiB  0%  -- B/s  --:-- left\x1b[K\n"
	if got := out.String(); got != want {
		t.Errorf("output %q, want %q", got, want)
	}
}

func TestBarStartStop(t *testing.T) {
	var out lockedBuffer
	var c Counter
	b := New(&out, "photo.jpg", 1024, &c)
	b.Start()
	b.Start()
	c.Add(1024)
	b.Stop()
	b.Stop()
	got := out.String()
	if !strings.HasSuffix(got, "\x1b[K\n") || strings.Count(got, "\n") != 1 {
		t.Errorf("output %q does not end with exactly one final line", got)
	}
	lines := draws(t, got)
	if final := lines[len(lines)-1]; !strings.HasPrefix(final, "photo.jpg  1.0 KiB / 1.0 KiB  100%  ") || !strings.HasSuffix(final, "  0:00 left") {
		t.Errorf("final line %q", final)
	}
}

func TestBarConcurrentStop(t *testing.T) {
	var out lockedBuffer
	b := New(&out, "x", 10, nil)
	b.Start()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(b.Stop)
	}
	wg.Wait()
	if n := strings.Count(out.String(), "\n"); n != 1 {
		t.Errorf("%d final lines, want 1", n)
	}
}

// TestBarRedraws runs the drawing loop on synctest's fake clock: 1 MiB
// every 200 ms, half-way between the redraws.
func TestBarRedraws(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const mib = 1 << 20
		var out lockedBuffer
		var c Counter
		b := New(&out, "file.bin", 10*mib, &c)
		b.Start()
		time.Sleep(100 * time.Millisecond)
		for range 10 {
			c.Add(mib)
			time.Sleep(200 * time.Millisecond)
		}
		synctest.Wait()
		b.Stop()

		lines := draws(t, out.String())
		want := []string{
			"file.bin  0 B / 10.0 MiB  0%  -- B/s  --:-- left",          // Start
			"file.bin  1.0 MiB / 10.0 MiB  10%  -- B/s  --:-- left",     // 200 ms
			"file.bin  2.0 MiB / 10.0 MiB  20%  -- B/s  --:-- left",     // 400 ms
			"file.bin  3.0 MiB / 10.0 MiB  30%  -- B/s  --:-- left",     // 600 ms
			"file.bin  4.0 MiB / 10.0 MiB  40%  -- B/s  --:-- left",     // 800 ms
			"file.bin  5.0 MiB / 10.0 MiB  50%  5.0 MiB/s  0:01 left",   // 1 s: rate known
			"file.bin  6.0 MiB / 10.0 MiB  60%  5.0 MiB/s  0:01 left",   // 1.2 s
			"file.bin  7.0 MiB / 10.0 MiB  70%  5.0 MiB/s  0:01 left",   // 1.4 s
			"file.bin  8.0 MiB / 10.0 MiB  80%  5.0 MiB/s  0:01 left",   // 1.6 s
			"file.bin  9.0 MiB / 10.0 MiB  90%  5.0 MiB/s  0:01 left",   // 1.8 s
			"file.bin  10.0 MiB / 10.0 MiB  100%  5.0 MiB/s  0:00 left", // 2 s
			"file.bin  10.0 MiB / 10.0 MiB  100%  4.8 MiB/s  0:00 left", // Stop at 2.1 s: average
		}
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("drawn lines:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
		}
		if !strings.HasSuffix(out.String(), "\n") {
			t.Error("output does not end with a newline")
		}
	})
}

func TestBarInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out lockedBuffer
		var c Counter
		b := New(&out, "", 1<<30, &c)
		b.Interval = time.Second
		b.Start()
		for range 50 { // 5 s of 100 ms steps, changing every step
			time.Sleep(100 * time.Millisecond)
			c.Add(1 << 20)
		}
		b.Stop()
		if n := len(draws(t, out.String())); n != 1+5+1 {
			t.Errorf("%d draws in 5 s at a 1 s interval, want 7 (start, 5 ticks, final)", n)
		}
	})
}

func TestBarSkipsUnchangedLines(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out lockedBuffer
		b := New(&out, "stalled", 1024, nil)
		b.Start()
		time.Sleep(10 * time.Second)
		b.Stop()
		lines := draws(t, out.String())
		want := []string{
			"stalled  0 B / 1.0 KiB  0%  -- B/s  --:-- left",
			"stalled  0 B / 1.0 KiB  0%  0 B/s  --:-- left",
			"stalled  0 B / 1.0 KiB  0%  0 B/s  --:-- left",
		}
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("drawn lines:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
		}
	})
}

func TestBarWidth(t *testing.T) {
	var out lockedBuffer
	b := New(&out, strings.Repeat("long-name-", 10)+".zip", 1<<20, nil)
	b.Width = 60
	b.Stop()
	for _, line := range draws(t, out.String()) {
		if w := width(line); w > 59 {
			t.Errorf("line %q takes %d columns at width 60", line, w)
		}
	}
	out = lockedBuffer{}
	b = New(&out, strings.Repeat("x", 200), 1<<20, nil)
	b.Stop()
	for _, line := range draws(t, out.String()) {
		if w := width(line); w != 79 {
			t.Errorf("line %q takes %d columns at the default width, want 79", line, w)
		}
	}
}

// failWriter fails every write.
type failWriter struct{ writes int }

func (f *failWriter) Write([]byte) (int, error) {
	f.writes++
	return 0, errors.New("broken pipe")
}

func TestBarStopsDrawingAfterWriteError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var w failWriter
		var c Counter
		b := New(&w, "x", 1<<30, &c)
		b.Start()
		for range 10 {
			c.Add(1 << 20)
			time.Sleep(300 * time.Millisecond)
		}
		b.Stop()
		if w.writes != 1 {
			t.Errorf("%d writes after a failing one, want 1 in all", w.writes)
		}
	})
}
