package progress

import (
	"testing"
	"time"
)

func TestMeter(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	var m meter
	if _, known := m.rate(); known {
		t.Error("rate known with no samples")
	}
	m.add(at(0), 0)
	if _, known := m.rate(); known {
		t.Error("rate known with one sample")
	}
	m.add(at(500*time.Millisecond), 500)
	if _, known := m.rate(); known {
		t.Error("rate known after half a second")
	}
	m.add(at(time.Second), 1000)
	if r, known := m.rate(); !known || r != 1000 {
		t.Errorf("rate after 1 s = %v, %v; want 1000, true", r, known)
	}
	// Ten seconds at 1000 B/s, then five at 3000 B/s: only the last five
	// seconds count.
	n := int64(1000)
	for s := 2; s <= 10; s++ {
		n += 1000
		m.add(at(time.Duration(s)*time.Second), n)
	}
	for s := 11; s <= 15; s++ {
		n += 3000
		m.add(at(time.Duration(s)*time.Second), n)
	}
	if r, known := m.rate(); !known || r != 3000 {
		t.Errorf("rate = %v, %v; want 3000, true", r, known)
	}
	if len(m.samples) > 7 {
		t.Errorf("meter keeps %d samples, want the window only", len(m.samples))
	}
	// A stall reads as zero, not unknown.
	for s := 16; s <= 21; s++ {
		m.add(at(time.Duration(s)*time.Second), n)
	}
	if r, known := m.rate(); !known || r != 0 {
		t.Errorf("rate when stalled = %v, %v; want 0, true", r, known)
	}
}

func TestMeterBounded(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var m meter
	for i := range 100_000 {
		m.add(t0.Add(time.Duration(i)*200*time.Millisecond), int64(i))
	}
	if n := len(m.samples); n > int(rateWindow/(200*time.Millisecond))+2 {
		t.Errorf("meter keeps %d samples", n)
	}
	if cap(m.samples) > 1024 {
		t.Errorf("meter's buffer grew to %d", cap(m.samples))
	}
}
