package commands

import (
	"strings"
	"testing"
)

// TestMessageSizeAfterTrim checks that the size limit counts the message
// without its trailing line ends, for stdin, the arguments and -i lines.
func TestMessageSizeAfterTrim(t *testing.T) {
	full := strings.Repeat("x", maxSendInput)
	for _, tc := range []struct {
		name string
		in   string
		code int
	}{
		{"exactly 1 MiB", full, ExOK},
		{"1 MiB and LF", full + "\n", ExOK},
		{"1 MiB and CRLF", full + "\r\n", ExOK},
		{"1 MiB and blank lines", full + strings.Repeat("\n", 100), ExOK},
		{"1 MiB and too many line ends", full + strings.Repeat("\n", maxLineEnds+1), ExDataErr},
		{"1 MiB plus one byte", full + "y\n", ExDataErr},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text, err := readMessage(&Env{Stdin: strings.NewReader(tc.in)})
			if ExitCode(err) != tc.code {
				t.Fatalf("stdin: exit %d (%v), want %d", ExitCode(err), err, tc.code)
			}
			if err == nil && len(text) != maxSendInput {
				t.Errorf("stdin: %d bytes, want %d", len(text), maxSendInput)
			}
			if tc.code == ExOK || len(tc.in) <= maxSendInput+maxLineEnds {
				text, err = checkMessage(tc.in)
				if ExitCode(err) != tc.code {
					t.Fatalf("argument: exit %d (%v), want %d", ExitCode(err), err, tc.code)
				}
				if err == nil && len(text) != maxSendInput {
					t.Errorf("argument: %d bytes, want %d", len(text), maxSendInput)
				}
			}
		})
	}
}

// TestInteractiveLineOfOneMiB checks that a -i line of exactly 1 MiB
// followed by its line end is passed on whole.
func TestInteractiveLineOfOneMiB(t *testing.T) {
	full := strings.Repeat("x", maxSendInput)
	for _, end := range []string{"\n", "\r\n"} {
		ls := readLines(strings.NewReader(full + end + "next" + end))
		var got []string
		for l := range ls.lines {
			got = append(got, l)
		}
		if ls.err != nil || len(got) != 2 || got[0] != full || got[1] != "next" {
			t.Errorf("line end %q: %d lines, err %v", end, len(got), ls.err)
		}
	}
}
