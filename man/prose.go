package man

import (
	"strings"
)

// prose renders the hand-written text of a section, kept in this
// package as plain text with a little markup, into r:
//
//   - blocks are separated by blank lines;
//   - a block whose lines start with "$ " is an example, set as is;
//   - a line starting with "- " starts a bullet item;
//   - a line starting with "= " starts a tagged paragraph, with the rest
//     of the line as its tag;
//   - any other block is a paragraph;
//   - `text` is set in bold.
//
// Lines of an item or a paragraph are joined with spaces.
func prose(r *roff, text string) {
	for _, block := range strings.Split(strings.TrimSpace(text), "\n\n") {
		lines := strings.Split(strings.TrimSpace(block), "\n")
		if strings.HasPrefix(lines[0], "$ ") {
			example(r, lines)
			continue
		}
		items(r, lines)
	}
}

// example sets the lines of an example block without filling.
func example(r *roff, lines []string) {
	r.para()
	r.request("RS", "4")
	r.request("nf")
	for _, l := range lines {
		r.verbatim(strings.TrimPrefix(strings.TrimPrefix(l, "$ "), "$"))
	}
	r.request("fi")
	r.request("RE")
}

// items sets a block of bullets, tagged paragraphs or one paragraph.
func items(r *roff, lines []string) {
	var body []string
	flush := func() {
		if len(body) > 0 {
			r.text(strings.Join(body, " "))
			body = nil
		}
	}
	for i, l := range lines {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "- "):
			flush()
			r.line(`.IP \(bu 2`)
			body = append(body, strings.TrimPrefix(l, "- "))
		case strings.HasPrefix(l, "= "):
			flush()
			r.request("TP")
			r.text(strings.TrimPrefix(l, "= "))
		case i == 0:
			r.para()
			body = append(body, l)
		default:
			body = append(body, l)
		}
	}
	flush()
}
