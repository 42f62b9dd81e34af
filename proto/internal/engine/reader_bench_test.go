package engine

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/textproto"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// codecLines is how many server lines one iteration of BenchmarkCodec
// reads.
const codecLines = 4000

// codecStream returns n server lines of an MSNP8 sign-in with a large
// contact list, in the proportions a real one has: a contact line (LST)
// for every contact, an initial presence (ILN) for a third of them, a
// presence change (NLN) for a fifth, and now and then a message (MSG)
// with its payload. It also returns how many lines carry a payload.
func codecStream(n int) (stream []byte, payloads int) {
	var b bytes.Buffer
	body := "MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsprofile; charset=UTF-8\r\nLoginTime: 1164000000\r\n\r\n"
	for i := 0; i < n; i++ {
		email := fmt.Sprintf("contact%05d@example.com", i)
		switch {
		case i%20 == 19:
			fmt.Fprintf(&b, "MSG Hotmail Hotmail %d\r\n%s", len(body), body)
			payloads++
		case i%5 == 4:
			fmt.Fprintf(&b, "NLN AWY %s Contact%%20%d 268435492\r\n", email, i)
		case i%3 == 2:
			fmt.Fprintf(&b, "ILN %d NLN %s Contact%%20%d 268435492\r\n", 10+i%7, email, i)
		default:
			fmt.Fprintf(&b, "LST %s Contact%%20%d 11 %d,%d\r\n", email, i, i%4, i%9)
		}
	}
	return b.Bytes(), payloads
}

// BenchmarkCodec reads the same server lines with the engine's Reader
// (each line parsed into a command and checked, payloads read) and with
// net/textproto's ReadLine (lines only; a MSG line's payload skipped by
// its length from the same buffered reader), and with ReadLine followed
// by strings.Fields (the least parsing a command needs), side by side: every
// iteration reads all codecLines lines with each, in turn. It reports,
// for each, the time and the allocations of one read of all the lines
// (engine-ns/op, engine-allocs/op, textproto-ns/op, textproto-allocs/op,
// textproto+fields-ns/op, textproto+fields-allocs/op).
func BenchmarkCodec(b *testing.B) {
	stream, payloads := codecStream(codecLines)
	variants := []struct {
		name string
		read func([]byte) (lines, payloads int, err error)
	}{{"engine", readEngine}, {"textproto", readTextproto}, {"textproto+fields", readTextprotoFields}}
	elapsed := make([]time.Duration, len(variants))
	allocs := make([]uint64, len(variants))
	var before, after runtime.MemStats
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, v := range variants {
			runtime.ReadMemStats(&before)
			start := time.Now()
			lines, withPayload, err := v.read(stream)
			elapsed[j] += time.Since(start)
			runtime.ReadMemStats(&after)
			allocs[j] += after.Mallocs - before.Mallocs
			if err != nil {
				b.Fatalf("%s: %v", v.name, err)
			}
			if lines != codecLines || withPayload != payloads {
				b.Fatalf("%s: read %d lines, %d payloads; want %d, %d", v.name, lines, withPayload, codecLines, payloads)
			}
		}
	}
	b.StopTimer()
	for j, v := range variants {
		b.ReportMetric(float64(elapsed[j].Nanoseconds())/float64(b.N), v.name+"-ns/op")
		b.ReportMetric(float64(allocs[j])/float64(b.N), v.name+"-allocs/op")
	}
}

// readEngine reads stream to its end with the engine's Reader.
func readEngine(stream []byte) (lines, payloads int, err error) {
	r := NewReader(bytes.NewReader(stream), MSNP8)
	for {
		cmd, _, err := r.Read()
		if err == io.EOF {
			return lines, payloads, nil
		}
		if err != nil {
			return lines, payloads, err
		}
		lines++
		if cmd.Payload != nil {
			payloads++
		}
	}
}

// readTextproto reads stream to its end with textproto's ReadLine,
// skipping each MSG line's payload by its length.
func readTextproto(stream []byte) (lines, payloads int, err error) {
	return readTextprotoEach(stream, func(string) {})
}

// readTextprotoFields is readTextproto with each line split into its
// fields.
func readTextprotoFields(stream []byte) (lines, payloads int, err error) {
	var fields int
	lines, payloads, err = readTextprotoEach(stream, func(line string) { fields += len(strings.Fields(line)) })
	if err == nil && fields < lines {
		err = fmt.Errorf("%d fields in %d lines", fields, lines)
	}
	return lines, payloads, err
}

// readTextprotoEach reads stream to its end with textproto's ReadLine,
// calling each for every line and skipping each MSG line's payload by
// its length.
func readTextprotoEach(stream []byte, each func(string)) (lines, payloads int, err error) {
	r := textproto.NewReader(bufio.NewReader(bytes.NewReader(stream)))
	for {
		line, err := r.ReadLine()
		if err == io.EOF {
			return lines, payloads, nil
		}
		if err != nil {
			return lines, payloads, err
		}
		lines++
		each(line)
		if strings.HasPrefix(line, "MSG ") {
			n, err := strconv.Atoi(line[strings.LastIndexByte(line, ' ')+1:])
			if err != nil {
				return lines, payloads, err
			}
			if _, err := r.R.Discard(n); err != nil {
				return lines, payloads, err
			}
			payloads++
		}
	}
}
