package msnftp

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// senderPrefix is what a well-behaved receiver sends, line by line; a
// fuzzed receiver starts with the first few of these lines.
var senderPrefix = []string{"VER MSNFTP\r\n", "USR " + testHandle + " " + testCookie + "\r\n", "TFR\r\n"}

// FuzzSendConn plays a receiver whose bytes come from the fuzzer against
// the sender, after the first depth lines of a well-behaved one. The
// sender must end within its limits; announce the file (FIL) only to a
// receiver that gave the handle and the cookie; write only well-formed
// blocks of the source's bytes, in order, never more than the announced
// size; report success only after BYE 16777989; and fail only with one
// of the package's errors.
func FuzzSendConn(f *testing.F) {
	for _, s := range []struct {
		depth uint8
		size  uint16
		data  string
	}{
		{3, 10, "BYE 16777989\r\n"},
		{3, 5000, "BYE 16777989\r\n"},
		{3, 0, "BYE 16777989\r\n"},
		{3, 5000, "CCL\r\n"},
		{3, 5000, "BYE 2147942405\r\n"},
		{3, 10, "BYE 16777989\r\nBYE 16777989\r\n"},
		{3, 10, "TFR\r\n"},
		{2, 10, "CCL\r\n"},
		{2, 10, "FIL 10\r\n"},
		{1, 10, "USR " + testHandle + " 1618034\r\n"},
		{1, 10, "USR " + strings.ToUpper(testHandle) + " " + testCookie + "\r\nTFR\r\nBYE 16777989\r\n"},
		{1, 10, "USR " + testCookie + " " + testHandle + "\r\n"},
		{1, 10, "USR " + testHandle + " " + strings.Repeat("9", 5000) + "\r\n"},
		{0, 10, "VER MSNFTP MSNFTP2\r\n"},
		{0, 10, strings.Repeat("A", 20<<10)},
		{0, 10, ""},
	} {
		f.Add(s.depth, s.size, []byte(s.data))
	}
	f.Fuzz(func(t *testing.T, depth uint8, size16 uint16, data []byte) {
		size := int64(size16 % 8192)
		stream := []byte(strings.Join(senderPrefix[:int(depth)%(len(senderPrefix)+1)], ""))
		stream = append(stream, data...)
		a, b := net.Pipe()
		sent := make(chan []byte, 1)
		go func() {
			var out bytes.Buffer
			io.Copy(&out, b) // until the sender closes
			sent <- out.Bytes()
		}()
		go func() {
			b.SetWriteDeadline(time.Now().Add(5 * time.Second))
			b.Write(stream)
		}()
		done := make(chan error, 1)
		go func() {
			done <- SendConn(testCtx(t), a, testTransfer(size), bytes.NewReader(pattern(size)),
				Options{Idle: 50 * time.Millisecond, Handshake: 500 * time.Millisecond})
		}()
		var err error
		select {
		case err = <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("sender still running")
		}
		b.Close()
		out := <-sent

		var bye *ByeError
		if err != nil && !errors.As(err, &bye) && !errors.Is(err, ErrProtocol) && !errors.Is(err, ErrAuth) && !errors.Is(err, ErrCancelled) &&
			!errors.Is(err, ErrIncomplete) && !errors.Is(err, ErrUnconfirmed) && !errors.Is(err, ErrTimeout) {
			t.Fatalf("unclassified error %T: %v", err, err)
		}
		if err != nil && strings.Contains(err.Error(), testCookie) {
			t.Fatalf("error holds the cookie: %v", err)
		}
		if err == nil && !bytes.Contains(stream, []byte("BYE 16777989")) {
			t.Fatal("success without BYE 16777989")
		}
		// What the sender wrote: VER, FIL, blocks.
		rest, ok := bytes.CutPrefix(out, []byte("VER MSNFTP\r\n"))
		if !ok {
			if len(out) > 0 {
				t.Fatalf("sender began with %q", out[:min(len(out), 20)])
			}
			return
		}
		fil := "FIL " + strconv.FormatInt(size, 10) + "\r\n"
		rest, ok = bytes.CutPrefix(rest, []byte(fil))
		if !ok {
			if len(rest) > 0 {
				t.Fatalf("sender went on with %q", rest[:min(len(rest), 20)])
			}
			return
		}
		if !bytes.Contains(stream, []byte(testCookie)) {
			t.Fatal("FIL sent to a receiver that never gave the cookie")
		}
		var payload []byte
		for len(rest) > 0 {
			if len(rest) < hdrLen || rest[0] != 0 {
				if bytes.Equal(rest, cancelBlock) {
					break
				}
				t.Fatalf("not a data block: % x", rest[:min(len(rest), 8)])
			}
			n := int(rest[1]) | int(rest[2])<<8
			if n > MaxBlock || n == 0 {
				t.Fatalf("block of %d bytes", n)
			}
			if len(rest) < hdrLen+n {
				// A write cut short when the transfer broke off.
				if err == nil {
					t.Fatalf("block of %d bytes with %d left", n, len(rest)-hdrLen)
				}
				payload = append(payload, rest[hdrLen:]...)
				break
			}
			payload = append(payload, rest[hdrLen:hdrLen+n]...)
			rest = rest[hdrLen+n:]
		}
		if int64(len(payload)) > size || !bytes.Equal(payload, pattern(size)[:len(payload)]) {
			t.Fatalf("sent %d bytes that are not the first of the %d of the source", len(payload), size)
		}
		if err == nil && int64(len(payload)) != size {
			t.Fatalf("success after %d of %d bytes", len(payload), size)
		}
	})
}
