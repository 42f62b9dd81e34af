package man

import (
	"strings"
)

// roff builds man(7) source. Text given to its methods is plain: it
// escapes backslashes and hyphens, and protects lines that would start
// with a control character.
type roff struct {
	b    strings.Builder
	last string // the macro of the last line, "" after text
}

// width is the longest text line written, when words allow.
const width = 78

// String returns the source written so far.
func (r *roff) String() string { return r.b.String() }

// request writes a request line: a dot, the macro and its arguments,
// each quoted and escaped.
func (r *roff) request(macro string, args ...string) {
	r.last = macro
	r.b.WriteString("." + macro)
	for _, a := range args {
		r.b.WriteString(" \"" + strings.ReplaceAll(escape(a), `"`, `""`) + "\"")
	}
	r.b.WriteString("\n")
}

// line writes one line of source as it is: a request with its own
// escapes.
func (r *roff) line(s string) {
	r.last = ""
	if strings.HasPrefix(s, ".") {
		r.last, _, _ = strings.Cut(s[1:], " ")
	}
	r.b.WriteString(s + "\n")
}

// para starts a paragraph, unless a section or subsection just began.
func (r *roff) para() {
	if r.last != "SH" && r.last != "SS" {
		r.request("PP")
	}
}

// text writes plain text, filled into lines of at most width bytes
// where its words allow.
func (r *roff) text(s string) {
	if strings.TrimSpace(s) == "" {
		return
	}
	r.last = ""
	for _, line := range wrap(escape(s)) {
		r.b.WriteString(protect(line) + "\n")
	}
}

// verbatim writes one line of plain text as it is, for unfilled text.
func (r *roff) verbatim(s string) {
	r.last = ""
	r.b.WriteString(protect(escape(s)) + "\n")
}

// wrap breaks roff text at spaces into lines of at most width bytes (a
// longer word gets a line of its own).
func wrap(s string) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case len(line)+1+len(w) > width:
			lines = append(lines, line)
			line = w
		default:
			line += " " + w
		}
	}
	return append(lines, line)
}

// escape turns plain text into roff text: a backslash becomes \e, a
// hyphen \- (a minus, so that options can be searched and copied), and
// inline markup `x` becomes bold.
func escape(s string) string {
	var b strings.Builder
	bold := false
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\e`)
		case '-':
			b.WriteString(`\-`)
		case '`':
			if bold {
				b.WriteString(`\fR`)
			} else {
				b.WriteString(`\fB`)
			}
			bold = !bold
		default:
			b.WriteRune(r)
		}
	}
	if bold {
		b.WriteString(`\fR`)
	}
	return b.String()
}

// protect keeps a text line from being read as a request: one that
// starts with a dot or an apostrophe gets a zero-width \& first, and a
// blank line, which roff reads as a break, becomes an empty request.
func protect(line string) string {
	switch {
	case strings.TrimSpace(line) == "":
		return "."
	case line[0] == '.' || line[0] == '\'':
		return `\&` + line
	}
	return line
}

// bold returns plain text set in bold.
func bold(s string) string { return `\fB` + escape(s) + `\fR` }

// italic returns plain text set in italics.
func italic(s string) string { return `\fI` + escape(s) + `\fR` }
