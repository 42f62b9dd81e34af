package server

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// FuzzReader feeds arbitrary client bytes to the server's line reader,
// reading a payload of the fuzzer's length after every line that asks for
// one: a line is never over the cap nor holds a line end, it is the
// input's next line, a payload is exactly the length asked for within the
// bounds, and the reader stops.
func FuzzReader(f *testing.F) {
	for _, s := range []struct {
		data string
		n    uint32
	}{
		{"VER 1 MSNP8 CVR0\r\nCVR 2 x\r\n", 0},
		{"MSG 3 A 5\r\nhelloOUT\r\n", 5},
		{"MSG 3 A 70000\r\n" + strings.Repeat("x", 70000), 70000},
		{"ILN 9 NLN a@b.com " + strings.Repeat("A", 20000), 0},
		{strings.Repeat("A", maxLine-2) + "\r\n", 0},
		{strings.Repeat("A", maxLine-1) + "\n", 0},
		{strings.Repeat("A", maxLine) + "\n", 0},
		{"\n\r\n\r\r\n", 1},
		{"MSG 1 N 10\r\nabc", 10},
	} {
		f.Add([]byte(s.data), s.n)
	}
	f.Fuzz(func(t *testing.T, data []byte, n32 uint32) {
		n := int(n32 % (2 * maxPayload))
		r := newReader(bytes.NewReader(data))
		rest := data
		for i := 0; ; i++ {
			if i > len(data) {
				t.Fatal("more lines than bytes")
			}
			line, err := r.line()
			if errors.Is(err, errLineTooLong) {
				if i := bytes.IndexByte(rest, '\n'); i >= 0 && i < maxLine {
					t.Fatalf("a line of %d bytes refused", i+1)
				}
				return
			}
			if err != nil {
				return
			}
			if len(line) >= maxLine || strings.ContainsAny(line, "\n") {
				t.Fatalf("line of %d bytes: %q", len(line), line)
			}
			next, after, ok := bytes.Cut(rest, []byte("\n"))
			if !ok || string(bytes.TrimSuffix(next, []byte("\r"))) != line {
				t.Fatalf("line %q is not the input's next one", line)
			}
			rest = after
			if !strings.HasPrefix(line, "MSG") {
				continue
			}
			p, err := r.payload(n, maxPayload)
			switch {
			case n > maxPayload:
				if !errors.Is(err, errBadPayload) {
					t.Fatalf("payload of %d bytes over the cap: %v", n, err)
				}
				return
			case err != nil:
				if len(rest) >= n {
					t.Fatalf("payload of %d bytes failed with %d left: %v", n, len(rest), err)
				}
				return
			case len(p) != n || !bytes.Equal(p, rest[:n]):
				t.Fatalf("payload of %d bytes, asked %d", len(p), n)
			}
			rest = rest[n:]
		}
	})
}

// FuzzNames checks the server's name and sign-in parsers: a decoded name
// is valid and encodes and decodes back the same, a valid handle is
// short and holds no separator, and a Passport header yields a lower-case
// sign-in.
func FuzzNames(f *testing.F) {
	for _, s := range []string{
		"Bob", "Other%20Contacts", "%ZZ%4", "%00x", strings.Repeat("%41", 200), "a%0D%0AOUT",
		"bob@example.com", "a@b@c", "Passport1.4 OrgVerb=GET,sign-in=Alice%40Example.com,pwd=p%2Cw",
		"Passport1.4 sign-in=%zz", "\xff\xfe",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := decodeName(s); ok {
			if !validName(d) {
				t.Fatalf("decoded an invalid name %q", d)
			}
			e := encodeName(d)
			if len(e) > maxNameEnc || strings.ContainsAny(e, " \r\n\x00") {
				t.Fatalf("name %q encodes to %q", d, e)
			}
			if again, ok := decodeName(e); !ok || again != d {
				t.Fatalf("%q encodes to %q which decodes to %q, %v", d, e, again, ok)
			}
		}
		if validHandle(s) && (len(s) > maxHandle || strings.ContainsAny(s, " \r\n%,")) {
			t.Fatalf("handle %q accepted", s)
		}
		if email, _, ok := parsePassportAuth(s); ok && email != strings.ToLower(email) {
			t.Fatalf("sign-in %q not lower-cased", email)
		}
	})
}
