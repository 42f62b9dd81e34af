package progress

import (
	"strings"
	"unicode"
)

// minLabelCols is the least room worth giving a shortened label.
const minLabelCols = 8

// ellipsis marks a shortened label.
const ellipsis = "…"

// formatLine joins label and the most detailed of the stats forms that fits
// in cols terminal columns together with at least minLabelCols of the label,
// shortening the label if needed. If none fits, it returns the last (least
// detailed) form cut to cols.
func formatLine(label string, stats []string, cols int) string {
	label = cleanLabel(label)
	for _, s := range stats {
		if label == "" {
			if width(s) <= cols {
				return s
			}
			continue
		}
		if width(label)+2+width(s) <= cols {
			return label + "  " + s
		}
		if room := cols - 2 - width(s); room >= minLabelCols {
			return cut(label, room-1) + ellipsis + "  " + s
		}
	}
	if len(stats) == 0 {
		return cut(label, cols)
	}
	return cut(stats[len(stats)-1], cols)
}

// cleanLabel turns any space into ' ' and anything else that is not a
// graphic character (controls, format characters, invalid UTF-8) into '?'.
func cleanLabel(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.Is(unicode.Zs, r):
			return ' '
		case unicode.IsGraphic(r):
			return r
		}
		return '?'
	}, strings.ToValidUTF8(s, "?"))
}

// width returns the number of terminal columns s takes.
func width(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

// cut returns the longest prefix of s that takes at most cols columns.
func cut(s string, cols int) string {
	n := 0
	for i, r := range s {
		n += runeWidth(r)
		if n > cols {
			return s[:i]
		}
	}
	return s
}

// runeWidth returns the columns r takes: 0 for combining marks, 2 for wide
// East Asian characters and emoji, 1 otherwise.
func runeWidth(r rune) int {
	switch {
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	case isWide(r):
		return 2
	}
	return 1
}

// wideRanges are the main East Asian Wide and Fullwidth blocks and the emoji
// planes, enough for file names.
var wideRanges = [][2]rune{
	{0x1100, 0x115F},   // Hangul Jamo initials
	{0x2E80, 0x303E},   // CJK radicals, Kangxi, CJK symbols and punctuation
	{0x3041, 0x33FF},   // Hiragana … CJK compatibility
	{0x3400, 0x4DBF},   // CJK extension A
	{0x4E00, 0x9FFF},   // CJK unified ideographs
	{0xA000, 0xA4CF},   // Yi
	{0xAC00, 0xD7A3},   // Hangul syllables
	{0xF900, 0xFAFF},   // CJK compatibility ideographs
	{0xFE30, 0xFE4F},   // CJK compatibility forms
	{0xFF00, 0xFF60},   // Fullwidth forms
	{0xFFE0, 0xFFE6},   // Fullwidth signs
	{0x1F300, 0x1F64F}, // Pictographs, emoticons
	{0x1F900, 0x1F9FF}, // Supplemental symbols and pictographs
	{0x20000, 0x3FFFD}, // CJK extensions B and later
}

func isWide(r rune) bool {
	for _, wr := range wideRanges {
		if r >= wr[0] && r <= wr[1] {
			return true
		}
	}
	return false
}
