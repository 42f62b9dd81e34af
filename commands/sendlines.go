package commands

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// errLineTooLong reports a -i line longer than maxSendInput.
var errLineTooLong = fmt.Errorf("send: a line of stdin is longer than %d bytes", maxSendInput)

// lineSource reads the lines of send -i on its own goroutine, so that
// the sender can wait for a line and for the switchboard at once. The
// goroutine ends at the end of the input, on a read error, or when stop
// is called while it waits to hand a line over; a read that blocks
// forever (a terminal nobody types in) ends with the process.
type lineSource struct {
	lines chan string
	done  chan struct{}
	// err is why the input ended, nil at EOF; read it after lines is
	// closed.
	err error
}

// readLines starts reading r.
func readLines(r io.Reader) *lineSource {
	ls := &lineSource{lines: make(chan string, 64), done: make(chan struct{})}
	go ls.run(r)
	return ls
}

// stop lets the reader goroutine end.
func (ls *lineSource) stop() {
	select {
	case <-ls.done:
	default:
		close(ls.done)
	}
}

// run reads lines until the input ends.
func (ls *lineSource) run(r io.Reader) {
	defer close(ls.lines)
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, err := readLine(br)
		if line != nil {
			select {
			case ls.lines <- string(line):
			case <-ls.done:
				return
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				ls.err = err
			}
			return
		}
	}
}

// readLine returns the next line without its line end, reading at most
// maxSendInput bytes. The last line may lack a newline.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > maxSendInput+2 {
			return nil, errLineTooLong
		}
		line = append(line, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && len(line) == 0 {
			return nil, err
		}
		line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
		if len(line) > maxSendInput {
			return nil, errLineTooLong
		}
		return line, err
	}
}
