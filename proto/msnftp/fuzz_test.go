package msnftp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// refStream is the reference for the data phase: the payload a receiver
// of size bytes must write for the sender's stream data, and the sentinel
// of how it ends (nil for success).
func refStream(data []byte, size int64) ([]byte, error) {
	var got []byte
	for int64(len(got)) < size {
		switch {
		case len(data) == 0:
			return got, ErrIncomplete
		case data[0] != 0:
			return got, ErrCancelled
		case len(data) < hdrLen:
			return got, ErrIncomplete
		}
		n := int(data[1]) | int(data[2])<<8
		if int64(n) > size-int64(len(got)) {
			return got, ErrProtocol
		}
		data = data[hdrLen:]
		if len(data) < n {
			return append(got, data...), ErrIncomplete
		}
		got = append(got, data[:n]...)
		data = data[n:]
	}
	return got, nil
}

// pipeSender plays a well-formed sender handshake announcing size over
// one end of a net.Pipe, then writes stream. If stream does not complete
// the transfer it then closes; a real sender would wait, but the receiver
// would wait too. The receiver's answers are drained.
func pipeSender(c net.Conn, size int64, stream []byte) error {
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(c)
	expect := func(want string) error {
		line, err := br.ReadString('\n')
		if err != nil || strings.TrimRight(line, "\r\n") != want {
			return fmt.Errorf("pipe sender: got %q (%v), want %q", line, err, want)
		}
		return nil
	}
	for _, step := range []func() error{
		func() error { return expect("VER MSNFTP") },
		func() error { _, err := io.WriteString(c, "VER MSNFTP\r\n"); return err },
		func() error { return expect("USR " + testHandle + " " + testCookie) },
		func() error { _, err := fmt.Fprintf(c, "FIL %d\r\n", size); return err },
		func() error { return expect("TFR") },
	} {
		if err := step(); err != nil {
			return err
		}
	}
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		io.Copy(io.Discard, br)
	}()
	c.Write(stream) // the receiver may stop reading and close
	if _, end := refStream(stream, size); end != nil {
		c.Close() // the receiver waits for more: tell it there is none
	}
	<-drained // until the receiver closes
	return nil
}

func FuzzReceiveStream(f *testing.F) {
	abc := []byte("abcdefghij")
	cat := func(bs ...[]byte) []byte { return bytes.Join(bs, nil) }
	seeds := []struct {
		size   uint16
		stream []byte
	}{
		{10, blk(abc)},
		{0, nil},
		{0, []byte("junk")},
		{10, cat(blk(nil), blk(abc[:3]), blk(nil), blk(abc[3:]))},
		{10, cat(blk(abc), []byte("trailing"))},
		{10, cat(blk(abc[:5]), blk(abc))},
		{10, cat([]byte{0, 0xff, 0xff}, bytes.Repeat([]byte{'x'}, 100))},
		{10, blk(abc[:5])},
		{10, cat(blk(abc[:5]), []byte{0, 5})},
		{10, cat(blk(abc[:4]), []byte{1, 0, 0})},
		{10, []byte{0x80}},
		{5000, cat(blk(pattern(2045)), blk(pattern(2045)), blk(pattern(910)))},
		{4000, cat(blk(pattern(4000)))},
		{3, []byte{0, 3}},
		{3, []byte("CCL\r\n")},
	}
	for _, s := range seeds {
		f.Add(s.size, s.stream)
	}
	f.Fuzz(func(t *testing.T, size16 uint16, stream []byte) {
		size := int64(size16 % 8192)
		a, b := net.Pipe()
		done := make(chan error, 1)
		go func() { done <- pipeSender(b, size, stream) }()
		var dst bytes.Buffer
		n, err := Receive(testCtx(t), a, testTransfer(size), &dst, Options{Idle: 5 * time.Second})
		if ferr := <-done; ferr != nil {
			t.Fatal(ferr)
		}
		if n != int64(dst.Len()) {
			t.Fatalf("Receive reported %d bytes, wrote %d", n, dst.Len())
		}
		if n > size {
			t.Fatalf("wrote %d bytes, more than the %d announced", n, size)
		}
		if err == nil && n != size {
			t.Fatalf("success after %d of %d bytes", n, size)
		}
		want, wantKind := refStream(stream, size)
		if !bytes.Equal(dst.Bytes(), want) {
			t.Fatalf("wrote %q, want %q", dst.Bytes(), want)
		}
		if wantKind == nil && err != nil || wantKind != nil && !errors.Is(err, wantKind) {
			t.Fatalf("error %v, want %v", err, wantKind)
		}
	})
}
