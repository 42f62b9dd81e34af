package commands

import (
	"fmt"
	"io"
	"slices"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"

	"msn/proto"
)

// table is an aligned text table for people: a header and rows, each
// cell escaped for display, columns padded to the widest cell.
type table struct {
	header []string
	rows   [][]string
	cells  []string // where rows keep their cells, one after another
}

// newTable returns a table with the given column headings; none gives a
// table without a heading line.
func newTable(header ...string) *table { return &table{header: header} }

// grow makes room for n more rows as wide as the header.
func (t *table) grow(n int) {
	t.rows = slices.Grow(t.rows, n)
	t.cells = slices.Grow(t.cells, n*len(t.header))
}

// add appends a row; each cell is escaped for display.
func (t *table) add(cells ...string) {
	start := len(t.cells)
	for _, c := range cells {
		t.cells = append(t.cells, showText(c))
	}
	t.rows = append(t.rows, t.cells[start:len(t.cells):len(t.cells)])
}

// write prints the table on w in one write, two spaces between columns
// and no trailing blanks.
func (t *table) write(w io.Writer) error {
	var widths []int
	measure := func(row []string) {
		for i, c := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	measure(t.header)
	for _, row := range t.rows {
		measure(row)
	}
	line := len(widths) // the separators and the newline
	for _, n := range widths {
		line += n + 1
	}
	b := make([]byte, 0, (len(t.rows)+1)*line)
	if t.header != nil {
		b = appendRow(b, t.header, widths)
	}
	for _, row := range t.rows {
		b = appendRow(b, row, widths)
	}
	_, err := w.Write(b)
	return err
}

// appendRow appends row to b, its cells padded to widths.
func appendRow(b []byte, row []string, widths []int) []byte {
	start := len(b)
	for i, c := range row {
		if i > 0 {
			b = append(b, "  "...)
		}
		b = append(b, c...)
		if i < len(row)-1 {
			for range widths[i] - displayWidth(c) {
				b = append(b, ' ')
			}
		}
	}
	for len(b) > start && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return append(b, '\n')
}

// displayWidth returns the number of terminal columns s takes: two for
// a wide (CJK) character, none for a combining mark.
func displayWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] >= 0x7f {
			return runewidth.StringWidth(s)
		}
	}
	return len(s) // printable ASCII: one column each
}

// showText returns text from a peer or a server ready to print: cut to
// proto.MaxNameBytes (with "…" when cut) and escaped for display.
func showText(s string) string {
	if len(s) > proto.MaxNameBytes {
		cut := proto.MaxNameBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return escapeDisplay(s)
}

// showStatus returns the human name of a presence state, or
// "unknown(CODE)" for a state the protocol does not define.
func showStatus(s proto.Status) string {
	if !s.Valid() {
		return fmt.Sprintf("unknown(%s)", showText(string(s)))
	}
	return s.String()
}

// orDash returns s, or "-" when it is empty, for table cells.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// quote returns showText(s) in double quotes, for messages.
func quote(s string) string { return `"` + showText(s) + `"` }
