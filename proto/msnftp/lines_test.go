package msnftp

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// refLines is the reference for readLine: the lines of in, and the error
// that ends them.
func refLines(in []byte) ([]string, error) {
	var lines []string
	for {
		i := bytes.IndexByte(in, '\n')
		switch {
		case i >= maxLine || (i < 0 && len(in) >= maxLine):
			return lines, ErrProtocol
		case i < 0 && len(in) > 0:
			return lines, io.ErrUnexpectedEOF
		case i < 0:
			return lines, io.EOF
		}
		lines = append(lines, strings.TrimSuffix(string(in[:i]), "\r"))
		in = in[i+1:]
	}
}

// allLines reads lines until an error.
func allLines(r io.Reader) ([]string, error) {
	br := bufio.NewReaderSize(r, lineBufSize)
	var lines []string
	for {
		line, err := readLine(br)
		if err != nil {
			return lines, err
		}
		lines = append(lines, line)
	}
}

func checkLines(t *testing.T, in []byte) {
	t.Helper()
	want, wantErr := refLines(in)
	for name, r := range map[string]io.Reader{
		"whole":    bytes.NewReader(in),
		"one byte": iotest.OneByteReader(bytes.NewReader(in)),
		"half":     iotest.HalfReader(bytes.NewReader(in)),
	} {
		got, err := allLines(r)
		if !errors.Is(err, wantErr) {
			t.Fatalf("%s: error %v, want %v", name, err, wantErr)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d lines, want %d", name, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s: line %d is %q, want %q", name, i, got[i], want[i])
			}
		}
	}
}

func TestReadLine(t *testing.T) {
	for _, in := range []string{
		"",
		"VER MSNFTP\r\n",
		"VER MSNFTP\n",
		"\r\n\r\nTFR\r\n",
		"USR a b",
		"BYE 16777989\r\nJUNK",
		"NUL\x00INSIDE\r\n",
		strings.Repeat("A", maxLine-2) + "\r\n",
		strings.Repeat("A", maxLine-1) + "\n",
		strings.Repeat("A", maxLine-1) + "\r\n",
		strings.Repeat("A", maxLine),
		strings.Repeat("A", 20<<10) + "\r\n",
		strings.Repeat("A", maxLine-1),
	} {
		checkLines(t, []byte(in))
	}
}

func TestFields(t *testing.T) {
	for line, want := range map[string]string{
		"VER MSNFTP":        "VER|MSNFTP",
		"  FIL   10 ":       "FIL|10",
		"":                  "",
		"VER\tMSNFTP":       "error",
		"FIL 1\x7f":         "error",
		"USR a@b.com 12345": "USR|a@b.com|12345",
	} {
		f, err := fields(line)
		got := strings.Join(f, "|")
		if err != nil {
			got = "error"
			if !errors.Is(err, ErrProtocol) {
				t.Errorf("fields(%q): %v, want ErrProtocol", line, err)
			}
		}
		if got != want {
			t.Errorf("fields(%q) = %q, want %q", line, got, want)
		}
	}
}

func TestParseSize(t *testing.T) {
	for s, want := range map[string]int64{
		"0": 0, "10": 10, "0010": 10, "9223372036854775807": 1<<63 - 1,
		"": -1, "-5": -1, "+5": -1, "abc": -1, "1e9": -1, "9223372036854775808": -1,
		"99999999999999999999": -1, " 1": -1, "1.0": -1,
	} {
		got, ok := parseSize(s)
		if !ok {
			got = -1
		}
		if got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", s, got, ok, want)
		}
	}
}

func FuzzReadLine(f *testing.F) {
	for _, seed := range []string{
		"VER MSNFTP\r\n", "VER MSNFTP\n", "USR a@b.com 123\r\nFIL 10\r\n", "\r\n\r\n", "\r", "\n",
		"\x00\xff\xfe\r\n", strings.Repeat("A", maxLine-1) + "\n", strings.Repeat("A", maxLine) + "\n",
		strings.Repeat("B", maxLine+100),
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		checkLines(t, in)
		// Whatever came, a line never holds a line end or passes the cap.
		lines, _ := allLines(bytes.NewReader(in))
		for _, l := range lines {
			if strings.ContainsRune(l, '\n') || len(l) >= maxLine {
				t.Fatalf("line %q", l)
			}
		}
	})
}

func TestVerb(t *testing.T) {
	for in, want := range map[string]string{
		"TFR":           "TFR",
		"USR a 1618033": "USR",
		"1618033 USR":   "a line that is no command",
		"tfr":           "a line that is no command",
		"":              "an empty line",
		"ABCDEFGHI x":   "a line that is no command",
		"\u202eRFT":     "a line that is no command",
	} {
		f, _ := fields(in)
		if got := verb(f); got != want {
			t.Errorf("verb(%q) = %q, want %q", in, got, want)
		}
	}
}
