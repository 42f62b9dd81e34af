package commands

import (
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"msn/proto/switchboard"
)

func TestEndText(t *testing.T) {
	argv := []string{"backup", "--to", "my disk", "it's"}
	for _, tc := range []struct {
		name string
		r    notifyReport
		want string
	}{
		{"ok", notifyReport{Outcome: runOutcome{Duration: 1500 * time.Millisecond}, Lines: []string{"done"}, Total: 1, MaxLines: 20},
			"OK: backup --to 'my disk' 'it'\\''s'\nexit status 0 after 1.5s on box\noutput (1 line):\ndone"},
		{"tail", notifyReport{Outcome: runOutcome{Status: 2, Duration: 90*time.Second + 400*time.Millisecond}, Lines: []string{"b", "c\x1b[31m"}, Total: 3, MaxLines: 2},
			"FAILED: backup --to 'my disk' 'it'\\''s'\nexit status 2 after 1m30s on box\nlast 2 of 3 lines of output:\nb\nc\\x1b[31m"},
		{"signal", notifyReport{Outcome: runOutcome{Status: 143, Signal: syscall.SIGTERM}, MaxLines: 20},
			"FAILED: backup --to 'my disk' 'it'\\''s'\nkilled by SIGTERM, exit status 143 after 0s on box\nno output"},
		{"not found", notifyReport{Outcome: runOutcome{Status: 127, StartErr: errors.New("exec: \"backup\": not found")}, MaxLines: 20},
			"FAILED: backup --to 'my disk' 'it'\\''s'\nnot found, exit status 127 after 0s on box\nexec: \"backup\": not found\nno output"},
		{"no lines", notifyReport{Outcome: runOutcome{Status: 126, StartErr: errors.New("permission denied")}, Total: 7},
			"FAILED: backup --to 'my disk' 'it'\\''s'\ncannot run, exit status 126 after 0s on box\npermission denied\n7 lines of output"},
	} {
		tc.r.Argv, tc.r.Host = argv, "box"
		if got := endText(tc.r); got != tc.want {
			t.Errorf("%s:\ngot  %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// TestEndTextFits checks that whatever the output, the text fits in one
// message and keeps the newest lines.
func TestEndTextFits(t *testing.T) {
	long := strings.Repeat("é", tailLineBytes/2)
	ctl := strings.Repeat("\x01", tailLineBytes)
	for _, lines := range [][]string{
		{long, long, long, "newest"},
		{"a", ctl},
		{ctl, "b"},
		{strings.Repeat("\n", 10)},
		{"\xff\xfe broken"},
	} {
		r := notifyReport{Argv: []string{strings.Repeat("arg\n", 200)}, Host: "box", Lines: lines, Total: 1000, MaxLines: 1000}
		text := endText(r)
		if !utf8.ValidString(text) {
			t.Errorf("%q: not UTF-8", text)
		}
		msg := switchboard.TextMessage(strings.ReplaceAll(text, "\n", "\r\n"), nil)
		if n := len(msg.Bytes()); n > switchboard.MaxMessageSize {
			t.Errorf("the message is %d bytes, more than %d: %q", n, switchboard.MaxMessageSize, text)
		}
		if last := lines[len(lines)-1]; len(last) < 10 && !strings.HasSuffix(text, escapeDisplay(strings.ToValidUTF8(last, "\uFFFD"))) {
			t.Errorf("the newest line %q is not last in %q", last, text)
		}
		if !strings.Contains(text, "of 1000 lines of output:\n") {
			t.Errorf("no line of output shown in %q", text)
		}
	}
}

func TestStartText(t *testing.T) {
	if got, want := startText([]string{"make", ""}, "box\n"), "STARTED: make ''\non box\\n"; got != want {
		t.Errorf("startText = %q, want %q", got, want)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"plain-word_1.txt": "plain-word_1.txt",
		"a@b.c:d,e=f%g+h/": "a@b.c:d,e=f%g+h/",
		"":                 "''",
		"two words":        "'two words'",
		"$HOME":            "'$HOME'",
		"it's":             `'it'\''s'`,
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}
