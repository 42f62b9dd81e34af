package msnftp

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
	"strings"
)

// maxLine is the longest line, CRLF included.
const maxLine = 4096

// readLine reads one line from br and returns it without its CRLF (a bare
// LF ends a line too). A line longer than maxLine is an ErrProtocol error,
// reported as soon as maxLine bytes have arrived without a line end. At
// end of input it returns io.EOF, or io.ErrUnexpectedEOF inside a line.
// br's buffer must be larger than maxLine.
func readLine(br *bufio.Reader) (string, error) {
	scanned := 0
	for {
		buf, _ := br.Peek(br.Buffered())
		if line, ok := cutLine(br, buf, scanned); ok {
			return line, nil
		}
		if len(buf) >= maxLine {
			return "", failf(ErrProtocol, "line longer than %d bytes", maxLine)
		}
		scanned = len(buf)
		if _, err := br.Peek(len(buf) + 1); err != nil {
			// What arrived before the error may hold a whole line; the
			// error comes back on the next read.
			buf, _ = br.Peek(br.Buffered())
			if line, ok := cutLine(br, buf, scanned); ok {
				return line, nil
			}
			if len(buf) >= maxLine {
				return "", failf(ErrProtocol, "line longer than %d bytes", maxLine)
			}
			if err == io.EOF && len(buf) > 0 {
				err = io.ErrUnexpectedEOF
			}
			return "", err
		}
	}
}

// cutLine looks for a line end in buf (the bytes buffered in br) from
// offset from, within maxLine; if there is one it consumes the line.
func cutLine(br *bufio.Reader, buf []byte, from int) (string, bool) {
	buf = buf[:min(len(buf), maxLine)]
	if from >= len(buf) {
		return "", false
	}
	i := bytes.IndexByte(buf[from:], '\n')
	if i < 0 {
		return "", false
	}
	i += from
	line := string(buf[:i])
	br.Discard(i + 1)
	return strings.TrimSuffix(line, "\r"), true
}

// fields splits a line at spaces. A line with a control character (tabs
// included) or DEL is an ErrProtocol error: binary garbage, not a command.
func fields(line string) ([]string, error) {
	for i := 0; i < len(line); i++ {
		if c := line[i]; c < ' ' || c == 0x7f {
			return nil, failf(ErrProtocol, "control character 0x%02x in a line", c)
		}
	}
	return strings.FieldsFunc(line, func(r rune) bool { return r == ' ' }), nil
}

// maxSizeDigits is the most digits a FIL size may have: 19 fit an int64.
const maxSizeDigits = 19

// parseSize parses the decimal digits of a FIL size: no sign, no
// exponent, no overflow.
func parseSize(s string) (int64, bool) {
	if len(s) == 0 || len(s) > maxSizeDigits || !allDigits(s) {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// parseCode parses the decimal digits of a BYE code.
func parseCode(s string) (uint32, bool) {
	if len(s) == 0 || len(s) > 10 || !allDigits(s) {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 32)
	return uint32(n), err == nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isVer reports whether f is a VER line that offers MSNFTP.
func isVer(f []string) bool {
	if len(f) < 2 || f[0] != "VER" {
		return false
	}
	for _, p := range f[1:] {
		if p == "MSNFTP" {
			return true
		}
	}
	return false
}

// verb names the command of f for an error message: the first field when
// it looks like a command (1 to 8 capital letters), else "a line that is
// no command". Nothing else of a line is repeated: USR carries the cookie,
// and a confused peer may put it anywhere.
func verb(f []string) string {
	if len(f) == 0 {
		return "an empty line"
	}
	v := f[0]
	if len(v) > 8 {
		return "a line that is no command"
	}
	for i := 0; i < len(v); i++ {
		if v[i] < 'A' || v[i] > 'Z' {
			return "a line that is no command"
		}
	}
	return v
}
