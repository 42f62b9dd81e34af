package server

import (
	"bufio"
	"errors"
	"io"
	"strings"
)

const (
	maxLine    = 16 << 10 // bytes in one command line, CRLF included
	maxPayload = 64 << 10 // bytes in one payload
)

var (
	errLineTooLong = errors.New("server: line too long")
	errBadPayload  = errors.New("server: bad payload length")
)

// reader reads command lines and payloads from one connection.
type reader struct {
	br *bufio.Reader
}

func newReader(r io.Reader) *reader {
	return &reader{br: bufio.NewReaderSize(r, maxLine)}
}

// line returns the next line without its CRLF (a bare LF is accepted).
func (r *reader) line() (string, error) {
	b, err := r.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		return "", errLineTooLong
	}
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(b[:len(b)-1]), "\r"), nil
}

// payload reads exactly n bytes, n in [0, max].
func (r *reader) payload(n, max int) ([]byte, error) {
	if n < 0 || n > max || n > maxPayload {
		return nil, errBadPayload
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r.br, buf); err != nil {
		return nil, err
	}
	return buf, nil
}
