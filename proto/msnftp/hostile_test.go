package msnftp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"msn/proto/msntest"
	"strings"
	"testing"
	"time"
)

// The hostile MSNFTP peer (hostile-inputs.md §2.7), one row per case:
// the peer's side of the connection as a transcript, and the outcome.
// runFTPRow checks the invariants of §2.0 on top: (E) the sentinel, (N)
// success only with exactly the announced bytes, never a byte past them,
// and the byte count reported is the byte count written, (C) bounded
// allocation, (T) the row ends within ftpRowBound, no goroutine left
// (goleak at exit), (S) the cookie never in an error, (D) errors are
// printable. The listener's handling of strangers (§2.7 #95, #101) has
// its own tests in listen_test.go.

// ftpRowBound is how long a row may take: the idle and handshake bounds
// of the rows are a fraction of it.
const ftpRowBound = 3 * time.Second

// ftpRow is one hostile case. On the receiving side (send false) the
// peer is a sender and we run Receive; on the sending side the peer is a
// receiver and we run SendConn.
type ftpRow struct {
	n    int
	name string
	send bool
	// size is the size the invitation announced.
	size int64
	// peer is the peer's transcript: "<line" expects our line, "=text"
	// expects exactly text and then the end of the connection, "#n"
	// reads n bytes of blocks from us, anything else is sent as is.
	peer []string
	// src is what SendConn reads (default: size bytes of the pattern).
	src func() io.Reader
	// opts replace fast when set.
	opts *Options
	want error // errors.Is; nil means success
	// got is the bytes the receiver must have written (receiving side);
	// partial allows any number up to size (a drip cut off by time).
	got     int64
	partial bool
}

// senderHello is the sending peer's handshake, announcing fil.
func senderHello(fil string) []string {
	return []string{"<VER MSNFTP", "VER MSNFTP\r\n", "<USR " + testHandle + " " + testCookie, "FIL " + fil + "\r\n", "<TFR"}
}

// receiverHello is the receiving peer's handshake.
func receiverHello(size int64) []string {
	return []string{"VER MSNFTP\r\n", "<VER MSNFTP", "USR " + testHandle + " " + testCookie + "\r\n",
		fmt.Sprintf("<FIL %d", size), "TFR\r\n"}
}

// join concatenates transcripts.
func join(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// block is one data block of data, as a transcript step.
func block(data string) string { return string(blk([]byte(data))) }

// bye is the receiver's success line.
const bye = "BYE 16777989\r\n"

func ftpRows() []ftpRow {
	slow := fast
	slow.MinRate, slow.RateWindow = 1000, 300*time.Millisecond
	shortHandshake := Options{Idle: 5 * time.Second, Handshake: 300 * time.Millisecond}
	verFails := func(reply string) []string { return []string{"<VER MSNFTP", reply, "="} }
	filFails := func(line string) []string {
		return []string{"<VER MSNFTP", "VER MSNFTP\r\n", "<USR " + testHandle + " " + testCookie, line + "\r\n", "="}
	}
	rows := []ftpRow{
		// Receiver side.
		{n: 82, name: "VER MSNFTP2", size: 10, peer: verFails("VER MSNFTP2\r\n"), want: ErrProtocol},
		{n: 82, name: "bare VER", size: 10, peer: verFails("VER\r\n"), want: ErrProtocol},
		{n: 82, name: "binary garbage", size: 10, peer: verFails("\x00\xff\xfe\x01\r\n"), want: ErrProtocol},
		{n: 82, name: "20 KB line", size: 10, peer: verFails("VER MSNFTP " + strings.Repeat("A", 20<<10) + "\r\n"), want: ErrProtocol},
		{n: 82, name: "20 KB without a line end", size: 10, peer: verFails(strings.Repeat("\x00", 20<<10)), want: ErrProtocol},
		{n: 83, name: "no FIL", size: 10, peer: filFails("BYE 1"), want: ErrProtocol},
		{n: 83, name: "FIL without a size", size: 10, peer: filFails("FIL"), want: ErrProtocol},
		{n: 83, name: "negative FIL", size: 10, peer: filFails("FIL -5"), want: ErrProtocol},
		{n: 83, name: "FIL abc", size: 10, peer: filFails("FIL abc"), want: ErrProtocol},
		{n: 83, name: "FIL 1e9", size: 10, peer: filFails("FIL 1e9"), want: ErrProtocol},
		{n: 83, name: "FIL over int64", size: 10, peer: filFails("FIL 99999999999999999999"), want: ErrProtocol},
		{n: 83, name: "FIL with two sizes", size: 10, peer: filFails("FIL 10 20"), want: ErrProtocol},
		{n: 83, name: "FIL other than the invitation", size: 10, peer: filFails("FIL 11"), want: ErrProtocol},
		{n: 85, name: "zero-length blocks", size: 10,
			peer: join(senderHello("10"), []string{block(""), block("abcd"), block(""), block("efghij"), "=" + bye}), got: 10},
		{n: 86, name: "65 535-byte block within the size", size: 70000,
			peer: join(senderHello("70000"), []string{string(blk(pattern(65535))), string(blk(pattern(70000)[65535:])), "=" + bye}), got: 70000},
		{n: 86, name: "65 535-byte block past the size", size: 10,
			peer: join(senderHello("10"), []string{string(blk(pattern(65535))), "=CCL\r\n"}), want: ErrProtocol},
		{n: 86, name: "block past the size", size: 10,
			peer: join(senderHello("10"), []string{block("abcde"), block("abcdefghij"), "=CCL\r\n"}), want: ErrOverrun, got: 5},
		{n: 88, name: "early EOF", size: 10, peer: join(senderHello("10"), []string{block("abcde")}), want: ErrIncomplete, got: 5},
		{n: 88, name: "EOF inside a block header", size: 10, peer: join(senderHello("10"), []string{block("abcde"), "\x00\x05"}),
			want: ErrIncomplete, got: 5},
		{n: 89, name: "sender cancels", size: 10, peer: join(senderHello("10"), []string{block("abcd"), "\x01\x00\x00"}),
			want: ErrCancelled, got: 4},
		{n: 91, name: "no byte after TFR", size: 10, peer: join(senderHello("10"), []string{fmt.Sprintf("=BYE %d\r\n", ByeTimedOut)}),
			want: ErrTimeout},
		{n: 91, name: "one byte now and then", size: 1000, opts: &slow,
			peer: join(senderHello("1000"), []string{"\x00\xe8\x03", "x", "~50", "x", "~50", "x", "~50", "x", "~50", "x", "~50",
				"x", "~50", "x", "~50", "x", "~50", "x", "~50", "x", "~50"}), want: ErrTimeout, partial: true},
		{n: 92, name: "no VER", size: 10, opts: &shortHandshake, peer: []string{"<VER MSNFTP", "="}, want: ErrTimeout},
		{n: 94, name: "exact size, then trailing bytes", size: 10,
			peer: join(senderHello("10"), []string{block("abcdefghij") + block("junk") + "junk", "=" + bye}), got: 10},
		{n: 94, name: "empty file", size: 0, peer: join(senderHello("0"), []string{"=" + bye})},

		// Sender side.
		{n: 95, name: "wrong cookie", send: true, size: 10,
			peer: []string{"VER MSNFTP\r\n", "<VER MSNFTP", "USR " + testHandle + " 999\r\n", "="}, want: ErrAuth},
		{n: 95, name: "wrong handle", send: true, size: 10,
			peer: []string{"VER MSNFTP\r\n", "<VER MSNFTP", "USR eve@example.com " + testCookie + "\r\n", "="}, want: ErrAuth},
		{n: 95, name: "HTTP on the port", send: true, size: 10, peer: []string{"GET / HTTP/1.1\r\n", "="}, want: ErrProtocol},
		{n: 97, name: "TFR before USR", send: true, size: 10, peer: []string{"VER MSNFTP\r\n", "<VER MSNFTP", "TFR\r\n", "="},
			want: ErrProtocol},
		{n: 97, name: "FIL from the receiver", send: true, size: 10,
			peer: []string{"VER MSNFTP\r\n", "<VER MSNFTP", "USR " + testHandle + " " + testCookie + "\r\n", "<FIL 10", "FIL 10\r\n", "="},
			want: ErrProtocol},
		{n: 98, name: "never TFR", send: true, size: 10,
			peer: []string{"VER MSNFTP\r\n", "<VER MSNFTP", "USR " + testHandle + " " + testCookie + "\r\n", "<FIL 10", "="},
			want: ErrTimeout},
		{n: 98, name: "never BYE: not reported sent", send: true, size: 5000, peer: join(receiverHello(5000), []string{"#5000", "~400"}),
			want: ErrUnconfirmed},
		{n: 98, name: "closes before the end", send: true, size: 5000, peer: join(receiverHello(5000), []string{"#2045"}),
			want: errAnyFailure},
		{n: 100, name: "file grows: exactly FIL sent", send: true, size: 5000, src: func() io.Reader { return newPattern(9000) },
			peer: join(receiverHello(5000), []string{"#5000", bye, "="})},
		{n: 100, name: "file shrinks: cancelled", send: true, size: 5000, src: func() io.Reader { return newPattern(3000) },
			peer: join(receiverHello(5000), []string{"#3000"}), want: ErrSourceShort},
	}
	return rows
}

// errAnyFailure is a row's want when any error will do, as long as it is
// one (a broken connection may surface as unconfirmed or as a reset).
var errAnyFailure = errors.New("any failure")

// play runs a transcript as the peer.
func play(steps []string) func(f *fake) error {
	return func(f *fake) error {
		for _, s := range steps {
			var err error
			switch {
			case strings.HasPrefix(s, "<"):
				err = f.expect(s[1:])
			case strings.HasPrefix(s, "="):
				err = f.expectEnd(s[1:])
			case strings.HasPrefix(s, "#"):
				var n int64
				fmt.Sscan(s[1:], &n)
				var got []byte
				if got, err = f.readPayload(n); err == nil && !bytes.Equal(got, pattern(n)) {
					err = errors.New("fake: the payload differs from the source")
				}
			case strings.HasPrefix(s, "~"):
				var ms int
				fmt.Sscan(s[1:], &ms)
				time.Sleep(time.Duration(ms) * time.Millisecond)
			default:
				if err = f.send(s); err != nil {
					return nil // we hung up first: the row's outcome tells
				}
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
}

// runFTPRow plays r and checks it.
func runFTPRow(t *testing.T, r ftpRow) {
	t.Helper()
	opts := fast
	if r.opts != nil {
		opts = *r.opts
	}
	meter := msntest.StartAllocMeter()
	start := time.Now()
	var err error
	var n int64
	var got []byte
	if r.send {
		var src io.Reader = newPattern(r.size)
		if r.src != nil {
			src = r.src()
		}
		err = sendTo(t, testTransfer(r.size), src, opts, play(r.peer))
	} else {
		n, got, err = receiveFrom(t, r.size, opts, play(r.peer))
	}
	took := time.Since(start)
	allocated := meter.Bytes()

	switch {
	case r.want == errAnyFailure:
		if err == nil {
			t.Error("(N) reported a success")
		}
	case r.want == nil && err != nil:
		t.Errorf("(E) %v, want success", err)
	case r.want != nil && !errors.Is(err, r.want):
		t.Errorf("(E) %v, want %v", err, r.want)
	}
	if !r.send {
		if n != r.got && !r.partial || len(got) != int(n) {
			t.Errorf("(N) wrote %d bytes (reported %d), want %d", len(got), n, r.got)
		}
		if n > r.size {
			t.Errorf("(N) wrote %d bytes past the announced %d", n, r.size)
		}
		if err == nil && n != r.size {
			t.Errorf("(N) success with %d of %d bytes", n, r.size)
		}
	}
	if took > ftpRowBound {
		t.Errorf("(T) the row took %v", took)
	}
	if a := allocated; a > 8<<20 {
		t.Errorf("(C) %d bytes allocated", a)
	}
	if err != nil {
		msg := err.Error()
		if strings.Contains(msg, testCookie) {
			t.Errorf("(S) error holds the cookie: %q", msg)
		}
		for _, c := range msg {
			if c < ' ' || c == 0x7f || c >= 0x80 && c < 0xa0 || c >= 0x202a && c <= 0x202e {
				t.Errorf("(D) error holds the raw character %U: %q", c, msg)
				break
			}
		}
	}
}

func TestHostileMSNFTP(t *testing.T) {
	for _, r := range ftpRows() {
		side := "receive"
		if r.send {
			side = "send"
		}
		t.Run(fmt.Sprintf("%d %s %s", r.n, side, r.name), func(t *testing.T) { runFTPRow(t, r) })
	}
}
