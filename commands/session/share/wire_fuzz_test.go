package share

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// FuzzFrameReader feeds arbitrary bytes to the socket protocol's reader:
// it must never panic, never return a line over its limit or one that is
// not in the input, and must end with an error.
func FuzzFrameReader(f *testing.F) {
	f.Add([]byte(string(greetingLine())+`{"welcome":{"version":1,"account":"a@b.c","holder":{"pid":1}}}`+"\n"), uint16(1024))
	f.Add([]byte(`{"hello":{"version":1,"rings":true}}`+"\n"+`{"id":1,"op":"add","args":{"email":"b@c.d","group":-1}}`+"\n"), uint16(64))
	f.Add([]byte(`{"id":2,"reply":{"error":{"kind":"server","code":205,"text":"x"}}}`+"\n"+`{"end":{"kind":"version","code":1}}`+"\n"), uint16(80))
	f.Add([]byte(`{"event":{"kind":"ring","ring":{"SessionID":"1"}}}`+"\n"), uint16(30))
	f.Add([]byte("msn-share 99\n"), uint16(10))
	f.Add([]byte("msn-share "+strings.Repeat("9", 100)+"\n"), uint16(1000))
	f.Add([]byte(strings.Repeat("a", 5000)+"\n{}\n"), uint16(4095))
	f.Add([]byte("\n\n\n{}\nnull\n[]\n\"x\"\n{\"id\":-1}\n"), uint16(3))
	f.Add([]byte("\xff\xfe\x00garbage{\"hello\":"), uint16(100))
	f.Add([]byte{}, uint16(0))
	f.Fuzz(func(t *testing.T, data []byte, lim uint16) {
		limit := int(lim)%8192 + 1

		// line: each line is within the limit and is the input's next one.
		fr := newFrameReader(bytes.NewReader(data), limit)
		rest := data
		for i := 0; ; i++ {
			if i > len(data) {
				t.Fatalf("more lines than bytes")
			}
			line, err := fr.line()
			if err != nil {
				break
			}
			if len(line) > limit {
				t.Fatalf("a line of %d bytes over the limit %d", len(line), limit)
			}
			if bytes.IndexByte(line, '\n') >= 0 {
				t.Fatalf("a line with a newline: %q", line)
			}
			want, after, ok := bytes.Cut(rest, []byte("\n"))
			if !ok || !bytes.Equal(line, want) {
				t.Fatalf("line %q is not the input's next line %q", line, want)
			}
			rest = after
		}

		// greeting, then frames, as a client reads a holder.
		fr = newFrameReader(bytes.NewReader(data), limit)
		v, err := fr.greeting()
		if err == nil && v <= 0 {
			t.Fatalf("greeting version %d without an error", v)
		}
		if fr.limit != limit {
			t.Fatalf("limit %d after the greeting, want %d", fr.limit, limit)
		}
		if errors.Is(err, ErrFrameTooLong) {
			return // the reader must not be used after
		}
		for i := 0; ; i++ {
			if i > len(data) {
				t.Fatalf("more frames than bytes")
			}
			f, err := fr.next()
			if err != nil {
				if f != nil {
					t.Fatalf("a frame with an error: %v", err)
				}
				break
			}
			if f == nil {
				t.Fatal("no frame and no error")
			}
			// What a client makes of a frame must not panic either.
			if f.End != nil {
				_ = decodeError(f.End)
			}
			if f.Reply != nil {
				_ = decodeError(f.Reply.Err)
			}
			if f.Event != nil {
				_ = f.Event.decode()
			}
		}

		// next from the start: a server's view of a client.
		fr = newFrameReader(bytes.NewReader(data), limit)
		for i := 0; i <= len(data); i++ {
			if _, err := fr.next(); err != nil {
				return
			}
		}
		t.Fatalf("more frames than bytes")
	})
}
