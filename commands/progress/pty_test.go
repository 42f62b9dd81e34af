//go:build linux

package progress

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a new pseudo-terminal pair: /dev/ptmx, unlocked with
// TIOCSPTLCK, and the slave named by TIOCGPTN.
func openPTY() (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if err != nil {
			master.Close()
		}
	}()
	conn, err := master.SyscallConn()
	if err != nil {
		return nil, nil, err
	}
	var n int
	var ioErr error
	if err := conn.Control(func(fd uintptr) {
		if ioErr = unix.IoctlSetPointerInt(int(fd), unix.TIOCSPTLCK, 0); ioErr != nil {
			ioErr = fmt.Errorf("unlockpt: %w", ioErr)
			return
		}
		if n, ioErr = unix.IoctlGetInt(int(fd), unix.TIOCGPTN); ioErr != nil {
			ioErr = fmt.Errorf("ptsname: %w", ioErr)
		}
	}); err != nil {
		return nil, nil, err
	}
	if ioErr != nil {
		return nil, nil, ioErr
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	return master, slave, nil
}

// setWinsize sets the size of the terminal f is the master of.
func setWinsize(f *os.File, cols, rows uint16) error {
	conn, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ioErr error
	if err := conn.Control(func(fd uintptr) {
		ioErr = unix.IoctlSetWinsize(int(fd), unix.TIOCSWINSZ, &unix.Winsize{Col: cols, Row: rows})
	}); err != nil {
		return err
	}
	return ioErr
}

// termCols returns the width of the terminal f is the slave of, as a
// program asking its stdout would.
func termCols(f *os.File) (int, error) {
	conn, err := f.SyscallConn()
	if err != nil {
		return 0, err
	}
	var ws *unix.Winsize
	var ioErr error
	if err := conn.Control(func(fd uintptr) {
		ws, ioErr = unix.IoctlGetWinsize(int(fd), unix.TIOCGWINSZ)
	}); err != nil {
		return 0, err
	}
	if ioErr != nil {
		return 0, ioErr
	}
	return int(ws.Col), nil
}

// TestBarOnPTY draws into the slave side of a real pseudo-terminal, sized 40
// columns, and reads what the terminal delivers on the master side.
func TestBarOnPTY(t *testing.T) {
	master, slave, err := openPTY()
	if err != nil {
		t.Fatalf("openPTY: %v", err)
	}
	defer master.Close()
	if err := setWinsize(master, 40, 24); err != nil {
		t.Fatalf("TIOCSWINSZ: %v", err)
	}
	cols, err := termCols(slave)
	if err != nil || cols != 40 {
		t.Fatalf("TIOCGWINSZ on the slave: %d, %v; want 40", cols, err)
	}

	type result struct {
		out []byte
		err error
	}
	read := make(chan result, 1)
	go func() {
		out, err := io.ReadAll(master) // ends with EIO once the slave is closed
		read <- result{out, err}
	}()

	var c Counter
	b := New(slave, "a-file-with-a-long-name.tar.gz", 3<<20, &c)
	b.Width = cols
	b.Start()
	w := c.Writer(io.Discard)
	for range 3 {
		if _, err := w.Write(make([]byte, 1<<20)); err != nil {
			t.Fatal(err)
		}
	}
	b.Stop()
	if err := slave.Close(); err != nil {
		t.Fatal(err)
	}

	var r result
	select {
	case r = <-read:
	case <-time.After(5 * time.Second):
		master.Close() // unblocks the reader so that it exits
		<-read
		t.Fatal("no EOF from the master side after the slave was closed")
	}
	if r.err != nil && !errors.Is(r.err, unix.EIO) {
		t.Fatalf("reading the master: %v", r.err)
	}
	out := string(r.out)
	// The terminal's output processing turns the final "\n" into "\r\n".
	if !strings.HasSuffix(out, "\x1b[K\r\n") {
		t.Fatalf("terminal output %q does not end the line", out)
	}
	lines := draws(t, strings.TrimSuffix(out, "\r\n")+"\n")
	final := lines[len(lines)-1]
	// 39 columns leave room for the label, shortened, and "100%  0:00 left".
	if want := "a-file-with-a-long-na…  100%  0:00 left"; final != want {
		t.Errorf("final line %q, want %q", final, want)
	}
	for _, line := range lines {
		if w := width(line); w >= cols {
			t.Errorf("line %q takes %d columns on a %d-column terminal", line, w, cols)
		}
	}
}
