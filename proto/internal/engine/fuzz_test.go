package engine

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzReadCommand feeds arbitrary server bytes to the line reader: it
// must not panic, must stop, and must never return a payload over the cap
// or a line over the line limit.
func FuzzReadCommand(f *testing.F) {
	for _, seed := range []string{
		"VER 1 MSNP8 CVR0\r\n",
		"ILN 9 NLN a@b.com " + string(bytes.Repeat([]byte("A"), 20000)),
		"NLN NLN a@b.com Bob\x00junk\r\n",
		"VER 1 MSNP8 CVR0\n",
		"\r\n\r\n\r\nQNG\r\n",
		"999 5\r\n",
		"USR -1 OK a b\r\nUSR 18446744073709551616 OK a b\r\nUSR abc OK a b\r\n",
		"CHG 7 NLN 0\r\nCHG 7 NLN 0\r\n",
		"ILN 7 NLN\r\nRNG\r\nXFR 3 NS\r\n",
		"NLN  NLN  a@b.com Bob \r\n\tQNG\r\n",
		"OUT OTH\r\nOUT SSD\r\nOUT\r\n",
		"XFR 3 NS 1.2.3.4:99999 0 1.2.3.4:1863\r\n",
		"VER 1 MSNP7 CVR0\r\nVER 1 0\r\nVER 1 MSNP12\r\n",
		"MSG a@b.com Bob abc\r\n",
		"MSG Hotmail Hotmail 5\r\nhelloQNG\r\n",
		"NOT 3\r\n<x>IPG 0\r\n",
		"SYN 5 1 1 1\r\nGTC A\r\nBLP AL\r\nLSG 0 Other%20Contacts 0\r\nLST bob@example.com Bob 11 0\r\n",
	} {
		f.Add([]byte(seed), false)
		f.Add([]byte(seed), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, msnp7 bool) {
		dialect := MSNP8
		if msnp7 {
			dialect = MSNP7
		}
		lr := NewReader(bytes.NewReader(data), dialect)
		for i := 0; i <= len(data); i++ {
			cmd, line, err := lr.Read()
			var bad *BadLine
			if errors.As(err, &bad) {
				continue
			}
			if err != nil {
				return
			}
			if len(line) > MaxLineLength || len(cmd.Payload) > MaxPayload {
				t.Fatalf("limits exceeded: line %d, payload %d", len(line), len(cmd.Payload))
			}
			if !isVerb(cmd.Verb) {
				t.Fatalf("bad verb %q accepted", cmd.Verb)
			}
			for _, a := range cmd.Args {
				if !ValidArg(a) {
					t.Fatalf("bad field %q accepted", a)
				}
			}
		}
		t.Fatal("reader did not stop")
	})
}
