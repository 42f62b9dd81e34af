// Package progress draws a one-line transfer progress indicator (bytes,
// rate, time left) on a terminal.
//
// The transfer only calls [Counter.Add], a single atomic add, directly or
// through [Counter.Writer] and [Counter.Reader]. A [Bar] reads the counter
// from its own goroutine every [Bar.Interval] and redraws
//
//	LABEL  12.3 MiB / 64.0 MiB  19%  98.1 MiB/s  0:04 left
//
// after a "\r", followed by "\x1b[K" to clear the rest of the line. Decisions:
//
//   - Sizes and rates use binary units (B, KiB, MiB, GiB, …) with one
//     decimal; whole bytes are shown without one ("512 B").
//   - The rate is the average over the last five seconds; it is unknown
//     ("-- B/s", and "--:-- left") until a second has passed. A stalled
//     transfer shows "0 B/s" and "--:-- left". The final line drawn by
//     [Bar.Stop] shows the average rate over the whole transfer instead.
//   - The percentage is rounded down, so 100% means complete. A total of 0
//     is 100% at once; a negative total means unknown, and the line then
//     shows only the bytes and the rate.
//   - Time left is m:ss below an hour and h:mm:ss above, rounded up; more
//     than 99:59:59 shows "--:--".
//   - The line is cut to one column less than [Bar.Width], so that a
//     terminal never wraps it; the label is shortened first (ending in "…"),
//     and wide East Asian characters count as two columns.
//   - The label is expected to be escaped by the caller already; as a second
//     line of defence any control or format character left in it is drawn
//     as '?'.
//   - Drawing is best effort: after the first write error the Bar draws
//     nothing more. A line identical to the previous one is not redrawn.
package progress
