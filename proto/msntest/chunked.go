package msntest

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// ChunkSeparator splits the bytes a Chunked server answers with into
// chunks, one per line the client sends.
const ChunkSeparator = "~~"

// Limits of a Chunked server: the longest client line it reads, the
// largest client payload it skips, how long it waits for the client's
// next line before it hangs up, and how long the whole dialogue may run.
const (
	chunkedMaxLine    = 64 << 10
	chunkedMaxPayload = 2 << 20
	chunkedIdle       = 20 * time.Millisecond
	chunkedLifetime   = 5 * time.Second
)

// payloadVerbs are the client commands followed by a payload whose
// length is their last field.
var payloadVerbs = map[string]bool{"MSG": true, "QRY": true, "UUX": true}

// Chunked plays a server whose bytes come from a fuzzer. It answers the
// i-th line the client sends with prefix[i] while there is one, then
// with the next chunk of data (data split at ChunkSeparator); "$T" in an
// answer becomes the TrID of the line it answers, so that the fuzzer
// need not guess TrIDs. It skips the payload of a client MSG, QRY or
// UUX. It hangs up when the answers run out, when the client is silent
// for 20 ms (the client waits for something the fuzzer did not send),
// after 5 s in all, or when the client closes; it closes conn and
// returns when done, and never returns an error: a fuzzed dialogue may
// break anywhere.
func Chunked(conn net.Conn, prefix []string, data []byte) {
	defer conn.Close()
	end := time.Now().Add(chunkedLifetime)
	conn.SetWriteDeadline(end)
	answers := append([][]byte(nil), stringsToBytes(prefix)...)
	if len(data) > 0 {
		answers = append(answers, bytes.Split(data, []byte(ChunkSeparator))...)
	}
	br := bufio.NewReaderSize(conn, 4096)
	for _, answer := range answers {
		conn.SetReadDeadline(earliest(time.Now().Add(chunkedIdle), end))
		line, err := readClientLine(br)
		if err != nil {
			return
		}
		f := strings.Fields(line)
		trid := ""
		if len(f) > 1 {
			trid = f[1]
		}
		if len(f) > 2 && payloadVerbs[f[0]] {
			n, err := strconv.Atoi(f[len(f)-1])
			if err != nil || n < 0 || n > chunkedMaxPayload {
				return
			}
			if _, err := io.CopyN(io.Discard, br, int64(n)); err != nil {
				return
			}
		}
		if len(answer) == 0 {
			continue
		}
		if _, err := conn.Write(bytes.ReplaceAll(answer, []byte("$T"), []byte(trid))); err != nil {
			return
		}
	}
}

// readClientLine reads one line of at most chunkedMaxLine bytes.
func readClientLine(br *bufio.Reader) (string, error) {
	var b []byte
	for {
		part, err := br.ReadSlice('\n')
		b = append(b, part...)
		if len(b) > chunkedMaxLine {
			return "", errors.New("client line too long")
		}
		if err == nil {
			return strings.TrimRight(string(b), "\r\n"), nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return "", err
		}
	}
}

func stringsToBytes(ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
