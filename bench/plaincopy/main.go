// Command plaincopy copies one file over TCP the plain way, with no
// framing and no protocol: 256 KiB reads from the file and 256 KiB writes
// to the socket at one end, 256 KiB reads from the socket and writes to a
// temporary file at the other, which is then synced, renamed into place
// and its directory synced, as msn recvfile does. The file benchmarks of
// package bench run it as the reference msn is measured against.
//
//	plaincopy recv FINAL SIZE   (the listening socket is file descriptor 3)
//	plaincopy send ADDR FILE
//
// recv prints the seconds from the connection to the synced file, then
// confirms with one byte; send waits for that byte.
package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// bufSize is the size of every read and write.
const bufSize = 256 << 10

// step bounds the whole copy.
const step = 3 * time.Minute

func main() {
	err := errors.New("usage: plaincopy recv FINAL SIZE | plaincopy send ADDR FILE")
	switch {
	case len(os.Args) == 4 && os.Args[1] == "recv":
		var size int64
		if size, err = strconv.ParseInt(os.Args[3], 10, 64); err == nil {
			err = receive(os.Args[2], size)
		}
	case len(os.Args) == 4 && os.Args[1] == "send":
		err = send(os.Args[2], os.Args[3])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "plaincopy:", err)
		os.Exit(1)
	}
}

// send sends the file at path to addr and waits for the one-byte
// confirmation.
func send(addr, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	conn, err := net.DialTimeout("tcp", addr, step)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(step))
	buf := make([]byte, bufSize)
	for {
		n, rerr := io.ReadFull(f, buf)
		if n > 0 {
			if _, err := conn.Write(buf[:n]); err != nil {
				return err
			}
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			return rerr
		}
	}
	var ack [1]byte
	if _, err := io.ReadFull(conn, ack[:]); err != nil {
		return fmt.Errorf("no confirmation: %w", err)
	}
	return nil
}

// receive takes one connection on the listener at descriptor 3, writes
// size bytes from it into a temporary file beside final, syncs it, renames
// it to final, syncs the directory, prints the seconds that took and
// confirms with one byte.
func receive(final string, size int64) error {
	ln, err := net.FileListener(os.NewFile(3, "listener"))
	if err != nil {
		return err
	}
	defer ln.Close()
	if tl, ok := ln.(*net.TCPListener); ok {
		_ = tl.SetDeadline(time.Now().Add(step))
	}
	conn, err := ln.Accept()
	if err != nil {
		return err
	}
	defer conn.Close()
	start := time.Now()
	_ = conn.SetDeadline(start.Add(step))
	tmp := final + ".part"
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	buf := make([]byte, bufSize)
	for left := size; left > 0; {
		n, err := io.ReadFull(conn, buf[:min(int64(len(buf)), left)])
		if err != nil {
			return err
		}
		if _, err := f.Write(buf[:n]); err != nil {
			return err
		}
		left -= int64(n)
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	d, err := os.Open(filepath.Dir(final))
	if err != nil {
		return err
	}
	err = d.Sync()
	d.Close()
	if err != nil {
		return err
	}
	fmt.Println(time.Since(start).Seconds())
	_, err = conn.Write([]byte{1})
	return err
}
