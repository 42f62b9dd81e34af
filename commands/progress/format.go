package progress

import (
	"math"
	"math/bits"
	"strconv"
)

// units are the binary units above bytes.
var units = []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}

// formatSize formats n bytes as "512 B" or "12.3 MiB". Negative n counts
// as 0.
func formatSize(n int64) string {
	if n < 1024 {
		return strconv.FormatInt(max(n, 0), 10) + " B"
	}
	v := float64(n) / 1024
	u := 0
	for u < len(units)-1 && math.Round(v*10)/10 >= 1024 {
		v /= 1024
		u++
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + units[u]
}

// formatRate formats a rate in bytes per second as "98.1 MiB/s", or
// "-- B/s" when it is not known.
func formatRate(rate float64, known bool) string {
	if !known || math.IsNaN(rate) {
		return "-- B/s"
	}
	if rate >= math.MaxInt64 {
		return formatSize(math.MaxInt64) + "/s"
	}
	return formatSize(int64(math.Round(rate))) + "/s"
}

// maxLeft is the longest time left that is shown, in seconds.
const maxLeft = 99*3600 + 59*60 + 59

// formatLeft formats the time to move remaining bytes at rate as "0:04" or
// "1:02:03", rounded up; "--:--" when the rate is unknown or zero or the
// time is too long.
func formatLeft(remaining int64, rate float64, known bool) string {
	if remaining <= 0 {
		return "0:00"
	}
	if !known || !(rate > 0) {
		return "--:--"
	}
	secs := math.Ceil(float64(remaining) / rate)
	if secs > maxLeft {
		return "--:--"
	}
	s := int64(secs)
	h, m, sec := s/3600, s/60%60, s%60
	if h > 0 {
		return strconv.FormatInt(h, 10) + ":" + pad2(m) + ":" + pad2(sec)
	}
	return strconv.FormatInt(m, 10) + ":" + pad2(sec)
}

func pad2(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// percent returns done as a whole percentage of total, rounded down and
// capped at 100. A total of 0 or less is 100%.
func percent(done, total int64) int {
	if total <= 0 || done >= total {
		return 100
	}
	if done <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(done), 100)
	q, _ := bits.Div64(hi, lo, uint64(total)) // done < total, so q < 100
	return int(q)
}

// formatStats formats the statistics in forms from the most to the least
// detailed, for lines of decreasing width:
//
//	12.3 MiB / 64.0 MiB  19%  98.1 MiB/s  0:04 left
//	12.3 MiB / 64.0 MiB  19%  0:04 left
//	19%  0:04 left
//	19%
//
// When total is negative (unknown) the forms are "12.3 MiB  98.1 MiB/s" and
// "12.3 MiB".
func formatStats(done, total int64, rate float64, known bool) []string {
	size, speed := formatSize(done), formatRate(rate, known)
	if total < 0 {
		return []string{size + "  " + speed, size}
	}
	sizes := size + " / " + formatSize(total)
	pct := strconv.Itoa(percent(done, total)) + "%"
	left := formatLeft(total-done, rate, known) + " left"
	return []string{
		sizes + "  " + pct + "  " + speed + "  " + left,
		sizes + "  " + pct + "  " + left,
		pct + "  " + left,
		pct,
	}
}
