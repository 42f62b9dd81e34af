package share

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"msn/proto"
)

func TestFrameReaderLines(t *testing.T) {
	const limit = 8
	in := "12345678\n" + "\n" + "123456789\n"
	fr := newFrameReader(strings.NewReader(in), limit)
	for _, want := range []string{"12345678", ""} {
		line, err := fr.line()
		if err != nil || string(line) != want {
			t.Fatalf("line() = %q, %v; want %q", line, err, want)
		}
	}
	if line, err := fr.line(); !errors.Is(err, ErrFrameTooLong) {
		t.Fatalf("a line of limit+1 bytes: %q, %v", line, err)
	}
}

func TestFrameReaderLongLineAcrossBuffers(t *testing.T) {
	// Longer than bufio's buffer, so that it is read in several chunks.
	long := strings.Repeat("x", 10000)
	fr := newFrameReader(strings.NewReader(long+"\n"+long+"y\n"), len(long))
	if line, err := fr.line(); err != nil || string(line) != long {
		t.Fatalf("a line at the limit: %d bytes, %v", len(line), err)
	}
	if _, err := fr.line(); !errors.Is(err, ErrFrameTooLong) {
		t.Fatalf("a line over the limit: %v", err)
	}
}

func TestFrameReaderEOF(t *testing.T) {
	if _, err := newFrameReader(strings.NewReader(""), 10).line(); err != io.EOF {
		t.Errorf("empty input: %v", err)
	}
	if _, err := newFrameReader(strings.NewReader("{}"), 10).line(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("a line without its newline: %v", err)
	}
}

func TestGreeting(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		err  bool
	}{
		{in: string(greetingLine()), want: Version},
		{in: "msn-share 99\n", want: 99},
		{in: "msn-share 0\n", err: true},
		{in: "msn-share -1\n", err: true},
		{in: "msn-share x\n", err: true},
		{in: "msn-share\n", err: true},
		{in: "SSH-2.0-OpenSSH\n", err: true},
		{in: "msn-share 1", err: true},
		{in: "msn-share " + strings.Repeat("1", 80) + "\n", err: true},
	} {
		v, err := newFrameReader(strings.NewReader(tc.in), maxReply).greeting()
		if (err != nil) != tc.err || v != tc.want {
			t.Errorf("greeting(%q) = %d, %v", tc.in, v, err)
		}
	}
	// The greeting's bound is its own; the reader's is restored after.
	fr := newFrameReader(strings.NewReader("msn-share 1\n"+`{"id":7,"op":"add"}`+"\n"), maxReply)
	if v, err := fr.greeting(); v != 1 || err != nil {
		t.Fatalf("greeting: %d, %v", v, err)
	}
	if fr.limit != maxReply {
		t.Errorf("limit after the greeting: %d", fr.limit)
	}
	if f, err := fr.next(); err != nil || f.ID != 7 || f.Op != opAdd {
		t.Errorf("the frame after the greeting: %+v, %v", f, err)
	}
}

func TestFrameRoundTrip(t *testing.T) {
	frames := []*frame{
		{Hello: &hello{Version: Version, Rings: true, PID: 42, Command: "msn chat"}},
		{Welcome: &Welcome{Version: Version, Account: "alice@example.com", Protocol: proto.MSNP8,
			Presence: []Seen{{Email: "bob@example.com", Status: proto.StatusBusy}}}},
		{ID: 3, Op: opAdd, Args: &args{List: proto.ForwardList, Email: "bob@example.com", Group: proto.NoGroup, Timeout: 1500}},
		{ID: 3, Reply: &reply{Change: &proto.ListChange{Kind: proto.ChangeAdd, List: proto.ForwardList, Email: "bob@example.com", Version: 9}}},
		{ID: 4, Reply: &reply{Err: &wireErr{Kind: kindServer, Code: 205, Text: "no such user"}}},
		{Event: &event{Kind: eventPresence, Email: "bob@example.com", Status: proto.StatusAway}},
		{End: &wireErr{Kind: kindElsewhere, Text: "signed in elsewhere"}},
	}
	var buf bytes.Buffer
	for _, f := range frames {
		b, err := encodeFrame(f, maxReply)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Count(b, []byte("\n")) != 1 || b[len(b)-1] != '\n' {
			t.Fatalf("frame %q is not one line", b)
		}
		buf.Write(b)
	}
	fr := newFrameReader(&buf, maxReply)
	for i, want := range frames {
		got, err := fr.next()
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		a, _ := encodeFrame(want, maxReply)
		b, _ := encodeFrame(got, maxReply)
		if !bytes.Equal(a, b) {
			t.Errorf("frame %d: sent %s, read %s", i, a, b)
		}
	}
	if _, err := fr.next(); err != io.EOF {
		t.Errorf("after the last frame: %v", err)
	}
}

func TestEncodeFrameLimit(t *testing.T) {
	f := &frame{ID: 1, Op: opSetName, Args: &args{Name: strings.Repeat("n", 200)}}
	if _, err := encodeFrame(f, 100); !errors.Is(err, ErrFrameTooLong) {
		t.Errorf("a frame over its limit: %v", err)
	}
	b, err := encodeFrame(f, 1000)
	if err != nil {
		t.Fatal(err)
	}
	// What encodeFrame accepts at a limit, the reader accepts at it.
	if _, err := newFrameReader(bytes.NewReader(b), len(b)-1).next(); err != nil {
		t.Errorf("reading a frame of exactly the limit: %v", err)
	}
}

func TestMalformedFrame(t *testing.T) {
	_, err := newFrameReader(strings.NewReader("not json\n"), 100).next()
	if err == nil || errors.Is(err, ErrFrameTooLong) {
		t.Errorf("a malformed frame: %v", err)
	}
}
