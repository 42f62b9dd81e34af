package progress

import "time"

// rateWindow is how far back the smoothed rate looks.
const rateWindow = 5 * time.Second

// minRateSpan is how much history the rate needs before it is shown.
const minRateSpan = time.Second

// sample is the count at one instant.
type sample struct {
	t time.Time
	n int64
}

// meter estimates a transfer rate from samples of a count: the average over
// the last rateWindow. It is driven by explicit times, so tests need no
// clock.
type meter struct {
	samples []sample
}

// add records count n at time t. Samples must come in time order.
func (m *meter) add(t time.Time, n int64) {
	m.samples = append(m.samples, sample{t, n})
	// Keep the newest sample that is at least rateWindow old as the anchor.
	for len(m.samples) > 2 && t.Sub(m.samples[1].t) >= rateWindow {
		m.samples = m.samples[1:]
	}
}

// rate returns bytes per second over the recorded window, and whether
// enough history exists to know it.
func (m *meter) rate() (float64, bool) {
	if len(m.samples) < 2 {
		return 0, false
	}
	first, last := m.samples[0], m.samples[len(m.samples)-1]
	span := last.t.Sub(first.t)
	if span < minRateSpan {
		return 0, false
	}
	r := float64(last.n-first.n) / span.Seconds()
	if r < 0 {
		r = 0
	}
	return r, true
}
