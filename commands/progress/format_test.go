package progress

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestFormatSize(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{-5, "0 B"},
		{0, "0 B"},
		{1, "1 B"},
		{1023, "1023 B"},
		{1024, "1.0 KiB"},
		{1536, "1.5 KiB"},
		{10*1024 - 1, "10.0 KiB"},
		{1<<20 - 1, "1.0 MiB"},
		{1 << 20, "1.0 MiB"},
		{12*(1<<20) + 3*(1<<20)/10, "12.3 MiB"},
		{64 << 20, "64.0 MiB"},
		{4 << 30, "4.0 GiB"},
		{5 << 40, "5.0 TiB"},
		{7 << 50, "7.0 PiB"},
		{math.MaxInt64, "8.0 EiB"},
	}
	for _, tt := range tests {
		if got := formatSize(tt.n); got != tt.want {
			t.Errorf("formatSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestFormatRate(t *testing.T) {
	tests := []struct {
		rate  float64
		known bool
		want  string
	}{
		{0, false, "-- B/s"},
		{123, false, "-- B/s"},
		{math.NaN(), true, "-- B/s"},
		{0, true, "0 B/s"},
		{512.4, true, "512 B/s"},
		{98.1 * (1 << 20), true, "98.1 MiB/s"},
		{math.Inf(1), true, "8.0 EiB/s"},
	}
	for _, tt := range tests {
		if got := formatRate(tt.rate, tt.known); got != tt.want {
			t.Errorf("formatRate(%v, %v) = %q, want %q", tt.rate, tt.known, got, tt.want)
		}
	}
}

func TestFormatLeft(t *testing.T) {
	tests := []struct {
		remaining int64
		rate      float64
		known     bool
		want      string
	}{
		{0, 0, false, "0:00"},
		{-1, 0, false, "0:00"},
		{100, 0, false, "--:--"},
		{100, 0, true, "--:--"},
		{100, math.NaN(), true, "--:--"},
		{100, 100, true, "0:01"},
		{101, 100, true, "0:02"},
		{1, 1e9, true, "0:01"},
		{4 * 98, 98, true, "0:04"},
		{59, 1, true, "0:59"},
		{60, 1, true, "1:00"},
		{3599, 1, true, "59:59"},
		{3600, 1, true, "1:00:00"},
		{3723, 1, true, "1:02:03"},
		{maxLeft, 1, true, "99:59:59"},
		{maxLeft + 1, 1, true, "--:--"},
		{math.MaxInt64, 0.001, true, "--:--"},
	}
	for _, tt := range tests {
		if got := formatLeft(tt.remaining, tt.rate, tt.known); got != tt.want {
			t.Errorf("formatLeft(%d, %v, %v) = %q, want %q", tt.remaining, tt.rate, tt.known, got, tt.want)
		}
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		done, total int64
		want        int
	}{
		{0, 0, 100},
		{0, -1, 100},
		{0, 100, 0},
		{-3, 100, 0},
		{19, 100, 19},
		{199, 1000, 19},
		{999, 1000, 99},
		{1000, 1000, 100},
		{2000, 1000, 100},
		{math.MaxInt64 - 1, math.MaxInt64, 99},
		{math.MaxInt64 / 2, math.MaxInt64, 49},
	}
	for _, tt := range tests {
		if got := percent(tt.done, tt.total); got != tt.want {
			t.Errorf("percent(%d, %d) = %d, want %d", tt.done, tt.total, got, tt.want)
		}
	}
}

func TestFormatStats(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		done, total int64
		rate        float64
		known       bool
		want        string
	}{
		{12*mib + 3*mib/10, 64 * mib, 98.1 * mib, true, "12.3 MiB / 64.0 MiB  19%  98.1 MiB/s  0:01 left"},
		{mib, 64 * mib, 0, false, "1.0 MiB / 64.0 MiB  1%  -- B/s  --:-- left"},
		{mib, 64 * mib, 0, true, "1.0 MiB / 64.0 MiB  1%  0 B/s  --:-- left"},
		{0, 0, 0, false, "0 B / 0 B  100%  -- B/s  0:00 left"},
		{5 * mib, -1, 1024, true, "5.0 MiB  1.0 KiB/s"},
	}
	for _, tt := range tests {
		if got := formatStats(tt.done, tt.total, tt.rate, tt.known)[0]; got != tt.want {
			t.Errorf("formatStats(%d, %d, %v, %v)\n got %q\nwant %q", tt.done, tt.total, tt.rate, tt.known, got, tt.want)
		}
	}
	got := formatStats(12*mib+3*mib/10, 64*mib, 13.2*mib, true)
	want := []string{
		"12.3 MiB / 64.0 MiB  19%  13.2 MiB/s  0:04 left",
		"12.3 MiB / 64.0 MiB  19%  0:04 left",
		"19%  0:04 left",
		"19%",
	}
	if !slices.Equal(got, want) {
		t.Errorf("formatStats forms\n got %q\nwant %q", got, want)
	}
	got = formatStats(5*mib, -1, 0, false)
	want = []string{"5.0 MiB  -- B/s", "5.0 MiB"}
	if !slices.Equal(got, want) {
		t.Errorf("formatStats forms with an unknown total\n got %q\nwant %q", got, want)
	}
}

func TestFormatLine(t *testing.T) {
	stats := []string{
		"12.3 MiB / 64.0 MiB  19%  98.1 MiB/s  0:04 left", // 47 columns
		"12.3 MiB / 64.0 MiB  19%  0:04 left",             // 35
		"19%  0:04 left",                                  // 14
		"19%",
	}
	full, noRate, pctLeft := stats[0], stats[1], stats[2]
	const long = "a-rather-long-file-name.zip" // 27
	tests := []struct {
		name, label string
		cols        int
		want        string
	}{
		{"fits", "photo.jpg", 79, "photo.jpg  " + full},
		{"no label", "", 79, full},
		{"exact fit", "abc", 52, "abc  " + full},
		{"label shortened", long, 60, "a-rather-l…  " + full},
		{"label at minimum", long, 57, "a-rathe…  " + full},
		{"rate dropped", long, 56, "a-rather-long-file…  " + noRate},
		{"sizes dropped", long, 39, "a-rather-long-file-nam…  " + pctLeft},
		{"percent only", long, 13, "a-rathe…  19%"},
		{"too narrow for a label", long, 10, "19%"},
		{"narrower than anything", long, 2, "19"},
		{"narrow, no label", "", 20, pctLeft},
		{"wide characters", "日本語のファイル名です.txt", 60, "日本語のフ…  " + full},
		{"combining marks", "e\u0301e\u0301e\u0301", 79, "e\u0301e\u0301e\u0301  " + full},
		{"controls in label", "a\x1b[2Jb\u202Ec\nd", 79, "a?[2Jb?c?d  " + full},
		{"invalid UTF-8", "a\xffb", 79, "a?b  " + full},
		{"odd spaces", "a\u00a0b\u3000c", 79, "a b c  " + full},
		{"zero columns", "x", 0, ""},
		{"negative columns", "x", -1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := formatLine(tt.label, stats, tt.cols)
			if got != tt.want {
				t.Errorf("formatLine(%q, %d)\n got %q\nwant %q", tt.label, tt.cols, got, tt.want)
			}
			if w := width(got); w > max(tt.cols, 0) {
				t.Errorf("line takes %d columns, more than %d", w, tt.cols)
			}
			if strings.ContainsAny(got, "\x1b\r\n") {
				t.Errorf("line %q contains control characters", got)
			}
		})
	}
	if got := formatLine("label", nil, 3); got != "lab" {
		t.Errorf("formatLine without stats = %q, want lab", got)
	}
}

func TestWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"日本", 4},
		{"한국", 4},
		{"ＡＢ", 4},
		{"😀", 2},
		{"e\u0301", 1},
		{"é", 1},
	}
	for _, tt := range tests {
		if got := width(tt.s); got != tt.want {
			t.Errorf("width(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
	if got := cut("日本語", 5); got != "日本" {
		t.Errorf("cut(日本語, 5) = %q, want 日本", got)
	}
}
