package msnftp

import (
	"bufio"
	"bytes"
	"testing"
	"time"
)

func TestFrame(t *testing.T) {
	for _, k := range []int{1, MaxBlock - 1, MaxBlock, MaxBlock + 1, 5000, batchBlocks*MaxBlock - 1, batchBlocks * MaxBlock} {
		batch := newBatch()
		src := pattern(int64(k))
		copy(rawArea(batch, k), src)
		framed := append([]byte(nil), frame(batch, k)...)
		br := bufio.NewReader(bytes.NewReader(framed))
		w := &gather{dst: &bytes.Buffer{}, buf: make([]byte, 1000)}
		if err := readBlocks(br, int64(k), w); err != nil {
			t.Fatalf("k=%d: %v", k, err)
		}
		w.flush()
		if got := w.dst.(*bytes.Buffer).Bytes(); !bytes.Equal(got, src) {
			t.Fatalf("k=%d: the frames do not carry the source", k)
		}
		if br.Buffered() != 0 {
			t.Fatalf("k=%d: %d bytes after the last block", k, br.Buffered())
		}
		for n := 0; n <= len(framed); n++ {
			tail := blockTail(framed, n)
			if got := payloadIn(n + len(tail)); tail != nil && got > int64(k) {
				t.Fatalf("k=%d n=%d: payloadIn %d", k, n, got)
			}
			if end := n + len(tail); end != len(framed) && end%blockSpan != 0 {
				t.Fatalf("k=%d n=%d: the tail ends at %d, not at a block boundary", k, n, end)
			}
		}
		if payloadIn(len(framed)) != int64(k) {
			t.Fatalf("k=%d: payloadIn(all) = %d", k, payloadIn(len(framed)))
		}
	}
}

func TestRateFloor(t *testing.T) {
	r := newRateFloor(Options{MinRate: 100, RateWindow: time.Second})
	start := time.Unix(1000, 0)
	r.begin(start)
	if dl, ok := r.deadline(); !ok || !dl.Equal(start.Add(time.Second)) {
		t.Fatalf("deadline %v %v, want the end of the window", dl, ok)
	}
	if !r.add(60, start.Add(500*time.Millisecond)) {
		t.Fatal("a window in progress failed")
	}
	if !r.add(40, start.Add(900*time.Millisecond)) {
		t.Fatal("a window in progress failed")
	}
	if _, ok := r.deadline(); ok {
		t.Fatal("a satisfied window still has a deadline")
	}
	if !r.add(1, start.Add(1100*time.Millisecond)) {
		t.Fatal("a satisfied window failed")
	}
	if r.add(10, start.Add(2200*time.Millisecond)) {
		t.Fatal("a window with 11 of 100 bytes passed")
	}
	off := newRateFloor(Options{MinRate: -1, RateWindow: time.Second})
	off.begin(start)
	if _, ok := off.deadline(); ok || !off.add(0, start.Add(time.Hour)) {
		t.Fatal("a disabled floor fired")
	}
}

func TestOptionsDefaults(t *testing.T) {
	o := Options{}.withDefaults()
	if o.Idle != DefaultIdle || o.Handshake != DefaultHandshake || o.MinRate != DefaultMinRate || o.RateWindow != DefaultRateWindow {
		t.Fatalf("defaults %+v", o)
	}
	if r := newRateFloor(o); r.need != DefaultMinRate*120 {
		t.Fatalf("need %d bytes per window", r.need)
	}
}
