package engine

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/textproto"
	"strconv"
	"strings"
	"testing"
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
// (parsed into commands, payloads read, every field checked) and with
// net/textproto's ReadLine (lines only; a MSG line's payload read by
// length from the same buffered reader), side by side in one run. Each
// iteration reads all codecLines lines; ns/op and allocs/op are per
// iteration, ns/line per line.
func BenchmarkCodec(b *testing.B) {
	stream, payloads := codecStream(codecLines)
	b.Run("engine", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(stream)))
		for i := 0; i < b.N; i++ {
			r := NewReader(bytes.NewReader(stream), MSNP8)
			got, withPayload := 0, 0
			for {
				cmd, _, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				got++
				if cmd.Payload != nil {
					withPayload++
				}
			}
			if got != codecLines || withPayload != payloads {
				b.Fatalf("read %d lines, %d payloads; want %d, %d", got, withPayload, codecLines, payloads)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*codecLines), "ns/line")
	})
	b.Run("textproto", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(stream)))
		for i := 0; i < b.N; i++ {
			r := textproto.NewReader(bufio.NewReader(bytes.NewReader(stream)))
			got, withPayload := 0, 0
			for {
				line, err := r.ReadLine()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				got++
				if strings.HasPrefix(line, "MSG ") {
					n, err := strconv.Atoi(line[strings.LastIndexByte(line, ' ')+1:])
					if err != nil {
						b.Fatal(err)
					}
					if _, err := r.R.Discard(n); err != nil {
						b.Fatal(err)
					}
					withPayload++
				}
			}
			if got != codecLines || withPayload != payloads {
				b.Fatalf("read %d lines, %d payloads; want %d, %d", got, withPayload, codecLines, payloads)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*codecLines), "ns/line")
	})
}
