package progress

import (
	"io"
	"sync"
	"time"
)

// DefaultInterval is the time between redraws when [Bar.Interval] is 0.
const DefaultInterval = 200 * time.Millisecond

// DefaultWidth is the terminal width assumed when [Bar.Width] is 0.
const DefaultWidth = 80

// Bar draws a progress line for a transfer of total bytes counted by a
// [Counter]. Set Interval and Width before [Bar.Start]. Start and Stop may be
// called from any goroutine.
type Bar struct {
	// Interval is the time between redraws; 0 means DefaultInterval.
	Interval time.Duration
	// Width is the terminal width in columns; 0 means DefaultWidth.
	Width int

	w     io.Writer
	label string
	total int64
	c     *Counter

	mu       sync.Mutex
	started  bool
	stopped  bool
	quit     chan struct{} // closed by Stop
	exited   chan struct{} // closed by the drawing goroutine
	stopOnce sync.Once

	// Owned by Start, then by the drawing goroutine, then by Stop.
	start  time.Time
	startN int64
	meter  meter
	last   string
	err    error
}

// New returns a Bar that draws to w for a transfer of total bytes (negative
// if unknown) counted by c. The label, typically the file name, must already
// be escaped for the terminal. A nil c is replaced by a new Counter.
func New(w io.Writer, label string, total int64, c *Counter) *Bar {
	if c == nil {
		c = new(Counter)
	}
	return &Bar{w: w, label: label, total: total, c: c}
}

// Start draws the line and begins redrawing it every Interval in a new
// goroutine. It does nothing if the Bar was started or stopped before.
func (b *Bar) Start() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.started || b.stopped {
		return
	}
	b.started = true
	b.quit = make(chan struct{})
	b.exited = make(chan struct{})
	b.start = time.Now()
	b.startN = b.c.Load()
	b.meter.add(b.start, b.startN)
	b.draw(b.start, false)
	go b.loop(b.interval())
}

// Stop stops redrawing, waits for the drawing goroutine to exit, and draws
// the final line ending with "\n". Later calls do nothing; Stop without
// Start just draws the final line.
func (b *Bar) Stop() {
	b.stopOnce.Do(func() {
		b.mu.Lock()
		b.stopped = true
		started := b.started
		if started {
			close(b.quit)
		}
		b.mu.Unlock()
		if started {
			<-b.exited
		}
		b.draw(time.Now(), true)
	})
}

func (b *Bar) interval() time.Duration {
	if b.Interval <= 0 {
		return DefaultInterval
	}
	return b.Interval
}

func (b *Bar) loop(every time.Duration) {
	defer close(b.exited)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-b.quit:
			return
		case now := <-t.C:
			b.meter.add(now, b.c.Load())
			b.draw(now, false)
		}
	}
}

// draw writes the line for the state at now; the final line shows the
// average rate since Start and ends the line.
func (b *Bar) draw(now time.Time, final bool) {
	if b.err != nil {
		return
	}
	done := b.c.Load()
	rate, known := b.meter.rate()
	if final {
		rate, known = 0, false
		if elapsed := now.Sub(b.start); b.started && elapsed > 0 {
			rate, known = float64(done-b.startN)/elapsed.Seconds(), true
		}
	}
	line := formatLine(b.label, formatStats(done, b.total, rate, known), b.cols())
	if line == b.last && !final {
		return
	}
	b.last = line
	s := "\r" + line + "\x1b[K"
	if final {
		s += "\n"
	}
	_, b.err = io.WriteString(b.w, s)
}

// cols is the room for the line: one column less than the width, so that
// the terminal never wraps.
func (b *Bar) cols() int {
	w := b.Width
	if w <= 0 {
		w = DefaultWidth
	}
	return w - 1
}
