package commands

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"msn/proto/switchboard"
)

// notifyRoom is how many bytes of text fit in one message: the
// switchboard's limit less the headers of a plain-text message.
var notifyRoom = switchboard.MaxMessageSize - len(switchboard.TextMessage("", nil).Bytes())

// maxShownCommand bounds the command line shown in a message, in bytes.
const maxShownCommand = 256

// notifyReport is what msn notify says about one run of the command.
type notifyReport struct {
	Argv     []string
	Host     string
	Outcome  runOutcome
	Lines    []string // the tail of the output, oldest first
	Total    int      // lines of output in all
	MaxLines int      // --lines
}

// startText returns the message sent when the command starts.
func startText(argv []string, host string) string {
	return fitText(fmt.Sprintf("STARTED: %s\non %s", shownCommand(argv), escapeDisplay(host)), nil)
}

// endText returns the message sent when the command has ended: its
// outcome, then as many of the last lines of its output as fit in one
// message, the newest kept first when something must go.
func endText(r notifyReport) string {
	word := "OK"
	if r.Outcome.failed() {
		word = "FAILED"
	}
	head := fmt.Sprintf("%s: %s\n%s after %s on %s", word, shownCommand(r.Argv), r.Outcome.describe(),
		shownDuration(r.Outcome.Duration), escapeDisplay(r.Host))
	if p := r.Outcome.startProblem(); p != "" {
		head += "\n" + p
	}
	switch {
	case r.Total == 0:
		return fitText(head+"\nno output", nil)
	case r.MaxLines == 0:
		return fitText(fmt.Sprintf("%s\n%s of output", head, plural(r.Total, "line")), nil)
	}
	lines := make([]string, len(r.Lines))
	for i, l := range r.Lines {
		lines[i] = escapeDisplay(strings.ToValidUTF8(l, "\uFFFD"))
	}
	return fitText(head, func(shown int) string {
		switch {
		case r.Total == 1:
			return "output (1 line):"
		case shown == r.Total:
			return fmt.Sprintf("output (%d lines):", r.Total)
		}
		return fmt.Sprintf("last %d of %d lines of output:", shown, r.Total)
	}, lines...)
}

// fitText joins head, the title of the lines shown, and the last lines
// that fit in one message, with line breaks; a line break counts two
// bytes, as it is sent as CR LF. When not even the newest line fits, its
// start is shown, cut. head is cut when it does not fit alone.
func fitText(head string, title func(shown int) string, lines ...string) string {
	room := notifyRoom - wireLen(head)
	if room < 0 {
		// Every byte might be a line break, sent as two.
		return cutBytes(head, (notifyRoom-len("…"))/2)
	}
	shown := 0
	used := 0
	for i := len(lines) - 1; i >= 0; i-- {
		need := used + 2 + wireLen(lines[i])
		if need+2+len(title(shown+1)) > room {
			break
		}
		used, shown = need, shown+1
	}
	if shown == 0 && len(lines) > 0 {
		left := room - 2 - len(title(1)) - 2 - len("…")
		if left <= 0 {
			return head
		}
		newest := cutBytes(lines[len(lines)-1], left)
		return head + "\n" + title(1) + "\n" + newest
	}
	if shown == 0 {
		return head
	}
	return head + "\n" + title(shown) + "\n" + strings.Join(lines[len(lines)-shown:], "\n")
}

// plural returns n and word, with an s unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// wireLen is the length of s once each LF is sent as CR LF.
func wireLen(s string) int { return len(s) + strings.Count(s, "\n") }

// cutBytes returns s cut to at most n bytes on a character boundary,
// with "…" added when something was cut.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// shownCommand returns argv as a shell would need it typed, escaped for
// display and cut to maxShownCommand bytes.
func shownCommand(argv []string) string {
	words := make([]string, len(argv))
	for i, a := range argv {
		words[i] = shellQuote(a)
	}
	return cutBytes(escapeDisplay(strings.Join(words, " ")), maxShownCommand)
}

// shellQuote returns s unchanged when a shell would read it as one word
// as it is, else between single quotes.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_@%+=:,./-", r))
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// shownDuration rounds d for people: milliseconds under a minute,
// seconds above.
func shownDuration(d time.Duration) string {
	if d < time.Minute {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}
