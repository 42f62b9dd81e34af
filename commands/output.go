package commands

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"golang.org/x/term"

	"msn/proto/display"
)

// escapeDisplay returns s with every control character, bidi control,
// zero-width character, line separator and byte of invalid UTF-8 written
// as an escape (display.Escape), so that text from a peer or a server
// stays on one line and cannot move the cursor, fake a line or reorder
// what follows.
func escapeDisplay(s string) string { return display.Escape(s) }

// quoteDisplay is escapeDisplay between double quotes, for a name that
// a peer chose inside a sentence.
func quoteDisplay(s string) string { return `"` + escapeDisplay(s) + `"` }

// stdinIsTerminal reports whether the command's stdin is an interactive
// terminal, where reading a message would wait for the user to type it.
func (e *Env) stdinIsTerminal() bool {
	if e.Prompt != nil {
		return true
	}
	f, ok := e.Stdin.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// errorf prints a diagnostic on stderr even with --quiet: it reports a
// failure the exit code alone cannot name (one recipient of several).
func (e *Env) errorf(format string, args ...any) {
	fmt.Fprintf(e.Stderr, "msn: %s\n", oneLine(fmt.Sprintf(format, args...)))
}

// timestamp is the time field of JSON output: RFC 3339 with
// milliseconds, in UTC.
func timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

// Report prints err for the user on stderr and returns the exit code:
// with --json as one object ({"type":"error","code":69,"message":...,
// "hint":...}), else as "msn: " lines.
func (e *Env) Report(err error) int {
	if !e.opts.JSON {
		return Report(e.Stderr, err)
	}
	r := describe(err)
	if r.shown {
		line, jerr := json.Marshal(r)
		if jerr != nil {
			return Report(e.Stderr, err)
		}
		fmt.Fprintf(e.Stderr, "%s\n", line)
	}
	return r.Code
}
