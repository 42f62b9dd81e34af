package msnftp

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// Test identities.
const (
	testHandle = "bob@example.com"
	testCookie = "1618033"
)

func testTransfer(size int64) Transfer {
	return Transfer{Handle: testHandle, Cookie: testCookie, Size: size}
}

// fast are Options for tests: short enough that no failure waits long.
var fast = Options{Idle: 200 * time.Millisecond, Handshake: 2 * time.Second}

// testCtx bounds a test: a stall fails it in seconds.
func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// The deterministic pseudo-random pattern: a table of random bytes whose
// length is not a power of two, repeated.
var (
	tableOnce sync.Once
	table     []byte
)

func patternTable() []byte {
	tableOnce.Do(func() {
		table = make([]byte, 1<<20+7)
		r := rand.New(rand.NewPCG(1, 2))
		for i := range table {
			table[i] = byte(r.Uint32())
		}
	})
	return table
}

// patternReader yields n bytes of the pattern.
type patternReader struct {
	off, n int64
}

func newPattern(n int64) *patternReader { return &patternReader{n: n} }

func (p *patternReader) Read(b []byte) (int, error) {
	if p.n <= 0 {
		return 0, io.EOF
	}
	tab := patternTable()
	b = b[:min(int64(len(b)), p.n)]
	done := 0
	for done < len(b) {
		i := int(p.off % int64(len(tab)))
		k := copy(b[done:], tab[i:])
		done += k
		p.off += int64(k)
	}
	p.n -= int64(done)
	return done, nil
}

// pattern returns the first n bytes of the pattern.
func pattern(n int64) []byte {
	b, _ := io.ReadAll(newPattern(n))
	return b
}

// tcpPair returns the two ends of a loopback TCP connection.
func tcpPair(t testing.TB) (net.Conn, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	type res struct {
		c   net.Conn
		err error
	}
	ch := make(chan res, 1)
	go func() {
		c, err := ln.Accept()
		ch <- res{c, err}
	}()
	a, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	r := <-ch
	if r.err != nil {
		a.Close()
		t.Fatal(r.err)
	}
	t.Cleanup(func() { a.Close(); r.c.Close() })
	return a, r.c
}

// fake is a scripted peer.
type fake struct {
	c  net.Conn
	br *bufio.Reader
}

// goFake runs script as the peer on c in a goroutine and returns its
// outcome. The peer has 5 seconds in all and closes c when done.
func goFake(c net.Conn, script func(f *fake) error) <-chan error {
	done := make(chan error, 1)
	c.SetDeadline(time.Now().Add(5 * time.Second))
	f := &fake{c: c, br: bufio.NewReader(c)}
	go func() {
		defer c.Close()
		done <- script(f)
	}()
	return done
}

func (f *fake) line() (string, error) {
	s, err := f.br.ReadString('\n')
	if err != nil {
		return s, fmt.Errorf("fake: reading a line (got %q): %w", s, err)
	}
	return strings.TrimSuffix(strings.TrimSuffix(s, "\n"), "\r"), nil
}

func (f *fake) expect(want string) error {
	got, err := f.line()
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("fake: got line %q, want %q", got, want)
	}
	return nil
}

func (f *fake) send(s string) error {
	_, err := io.WriteString(f.c, s)
	return err
}

func (f *fake) write(b []byte) error {
	_, err := f.c.Write(b)
	return err
}

// rest reads until the connection ends and returns what came.
func (f *fake) rest() []byte {
	b, _ := io.ReadAll(f.br)
	return b
}

// expectEnd checks that nothing more comes but want.
func (f *fake) expectEnd(want string) error {
	if got := f.rest(); string(got) != want {
		return fmt.Errorf("fake: got %q before the end, want %q", got, want)
	}
	return nil
}

// senderHandshake plays the sender's side of the handshake, announcing fil.
func (f *fake) senderHandshake(fil string) error {
	steps := []func() error{
		func() error { return f.expect("VER MSNFTP") },
		func() error { return f.send("VER MSNFTP\r\n") },
		func() error { return f.expect("USR " + testHandle + " " + testCookie) },
		func() error { return f.send("FIL " + fil + "\r\n") },
		func() error { return f.expect("TFR") },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// receiverHandshake plays the receiver's side of the handshake.
func (f *fake) receiverHandshake(handle, cookie string, size int64) error {
	steps := []func() error{
		func() error { return f.send("VER MSNFTP\r\n") },
		func() error { return f.expect("VER MSNFTP") },
		func() error { return f.send("USR " + handle + " " + cookie + "\r\n") },
		func() error { return f.expect(fmt.Sprintf("FIL %d", size)) },
		func() error { return f.send("TFR\r\n") },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// readPayload parses n payload bytes of blocks, checking the framing
// the sender must use: data headers, at most MaxBlock bytes each.
func (f *fake) readPayload(n int64) ([]byte, error) {
	var out bytes.Buffer
	for int64(out.Len()) < n {
		var h [hdrLen]byte
		if _, err := io.ReadFull(f.br, h[:]); err != nil {
			return out.Bytes(), fmt.Errorf("fake: block header after %d bytes: %w", out.Len(), err)
		}
		if h[0] != 0 {
			return out.Bytes(), fmt.Errorf("fake: header % x after %d bytes", h, out.Len())
		}
		size := int(h[1]) | int(h[2])<<8
		if size > MaxBlock || size == 0 {
			return out.Bytes(), fmt.Errorf("fake: block of %d bytes", size)
		}
		if _, err := io.CopyN(&out, f.br, int64(size)); err != nil {
			return out.Bytes(), err
		}
	}
	return out.Bytes(), nil
}

// blk frames data as one block.
func blk(data []byte) []byte {
	return append([]byte{0, byte(len(data)), byte(len(data) >> 8)}, data...)
}

// receiveFrom runs Receive of size bytes against a scripted sender.
func receiveFrom(t *testing.T, size int64, opts Options, script func(f *fake) error) (int64, []byte, error) {
	t.Helper()
	a, b := tcpPair(t)
	done := goFake(b, script)
	var dst bytes.Buffer
	n, err := Receive(testCtx(t), a, testTransfer(size), &dst, opts)
	if ferr := <-done; ferr != nil {
		t.Errorf("scripted sender: %v", ferr)
	}
	if n != int64(dst.Len()) {
		t.Errorf("Receive reported %d bytes, wrote %d", n, dst.Len())
	}
	return n, dst.Bytes(), err
}

// sendTo runs SendConn of src against a scripted receiver.
func sendTo(t *testing.T, tr Transfer, src io.Reader, opts Options, script func(f *fake) error) error {
	t.Helper()
	a, b := tcpPair(t)
	done := goFake(b, script)
	err := SendConn(testCtx(t), a, tr, src, opts)
	if ferr := <-done; ferr != nil {
		t.Errorf("scripted receiver: %v", ferr)
	}
	return err
}

// wantErr fails the test unless err matches target.
func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error %v, want one matching %v", err, target)
	}
}

// within fails the test if f takes longer than d.
func within(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	start := time.Now()
	f()
	if el := time.Since(start); el > d {
		t.Errorf("took %v, want at most %v", el, d)
	}
}
