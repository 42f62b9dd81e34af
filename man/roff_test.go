package man

import (
	"strings"
	"testing"
)

// TestEscape checks what the roff writer does to plain text.
func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		`a-b`:        `a\-b`,
		`C:\dir`:     `C:\edir`,
		"`--json` x": `\fB\-\-json\fR x`,
		"`open":      `\fBopen\fR`,
	} {
		if got := escape(in); got != want {
			t.Errorf("escape(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTextProtectsControlLines checks that text never starts a line with
// a control character, and wraps long text.
func TestTextProtectsControlLines(t *testing.T) {
	r := &roff{}
	r.text(".hidden request")
	r.text("'quote")
	r.text(strings.Repeat("word ", 40))
	r.verbatim(".also")
	for _, line := range strings.Split(strings.TrimSuffix(r.String(), "\n"), "\n") {
		if strings.HasPrefix(line, ".") || strings.HasPrefix(line, "'") {
			t.Errorf("line %q would be read as a request", line)
		}
		if len(line) > width {
			t.Errorf("line of %d bytes: %q", len(line), line)
		}
	}
}
