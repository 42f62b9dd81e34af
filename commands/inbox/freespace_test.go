package inbox

import (
	"math"
	"path/filepath"
	"testing"
)

func TestFreeSpace(t *testing.T) {
	n, err := FreeSpace(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if n <= 0 {
		t.Errorf("FreeSpace = %d, want > 0", n)
	}
	if _, err := FreeSpace(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("FreeSpace of a missing directory succeeded")
	}
}

func TestMulCap(t *testing.T) {
	tests := []struct {
		blocks, size uint64
		want         int64
	}{
		{0, 4096, 0},
		{10, 4096, 40960},
		{10, 0, 0},
		{math.MaxUint64, 4096, math.MaxInt64},
		{math.MaxInt64 / 4096, 4096, math.MaxInt64 / 4096 * 4096},
		{math.MaxInt64/4096 + 1, 4096, math.MaxInt64},
	}
	for _, tt := range tests {
		if got := mulCap(tt.blocks, tt.size); got != tt.want {
			t.Errorf("mulCap(%d, %d) = %d, want %d", tt.blocks, tt.size, got, tt.want)
		}
	}
}
