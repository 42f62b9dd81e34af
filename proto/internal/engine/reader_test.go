package engine

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func readAll(t *testing.T, input string, dialect Protocol) ([]*Command, []error) {
	t.Helper()
	lr := NewReader(strings.NewReader(input), dialect)
	var cmds []*Command
	var errs []error
	for i := 0; i < 1000; i++ {
		cmd, _, err := lr.Read()
		var bad *BadLine
		if errors.As(err, &bad) {
			errs = append(errs, err)
			continue
		}
		if err != nil {
			errs = append(errs, err)
			return cmds, errs
		}
		cmds = append(cmds, cmd)
	}
	t.Fatal("reader did not stop")
	return nil, nil
}

func TestReaderTrIDTable(t *testing.T) {
	cmds, _ := readAll(t, "RNG 11752013 1.2.3.4:1863 CKI 849.52 alice@example.com Alice\r\n"+
		"LSG 0 Other%20Contacts 0\r\nLST 8 FL 255 1 2 bob@x Bob 0\r\nGTC A\r\nGTC 9 7 N\r\nCHL 0 123\r\n", MSNP8)
	want := []struct {
		verb string
		has  bool
		id   uint32
		args int
	}{{"RNG", false, 0, 6}, {"LSG", false, 0, 3}, {"LST", false, 0, 8}, {"GTC", false, 0, 1}, {"GTC", true, 9, 2}, {"CHL", true, 0, 1}}
	if len(cmds) != len(want) {
		t.Fatalf("got %d commands", len(cmds))
	}
	for i, w := range want {
		c := cmds[i]
		if c.Verb != w.verb || c.HasTrID != w.has || c.TrID != w.id || len(c.Args) != w.args {
			t.Errorf("line %d: %+v, want %+v", i, c, w)
		}
	}
	cmds, _ = readAll(t, "LST 8 FL 255 1 2 bob@x Bob 0\r\nLSG 8 255 1 2 0 Other 0\r\n", MSNP7)
	if !cmds[0].HasTrID || cmds[0].TrID != 8 || !cmds[1].HasTrID {
		t.Errorf("MSNP7 list lines must carry TrIDs: %+v", cmds)
	}
}

func TestReaderHostileLines(t *testing.T) {
	for _, tc := range []struct {
		name, input string
		cmds        int
		fatal       error // the error that stops the reader, nil for EOF
		skipped     int
	}{
		{"over-long line", "ILN 9 NLN a@b.com " + strings.Repeat("A", 1<<20), 0, ErrLineTooLong, 0},
		{"NUL inside a line", "NLN NLN a@b.com Bob\x00junk\r\nQNG\r\n", 1, nil, 1},
		{"LF-only terminator", "VER 1 MSNP8 CVR0\nQNG\n", 2, nil, 0},
		{"empty lines", "\r\n\r\n\r\nQNG\r\n", 1, nil, 0},
		{"too many empty lines", strings.Repeat("\r\n", 200) + "QNG\r\n", 0, ErrProtocol, 0},
		{"unknown error code", "999 5\r\n", 1, nil, 0},
		{"negative TrID", "USR -1 OK a b\r\nQNG\r\n", 1, nil, 1},
		{"huge TrID", "USR 18446744073709551616 OK a b\r\nQNG\r\n", 1, nil, 1},
		{"letters TrID", "USR abc OK a b\r\nQNG\r\n", 1, nil, 1},
		{"too few parameters", "ILN 7 NLN\r\nRNG\r\nXFR 3 NS\r\n", 3, nil, 0},
		{"double spaces", "NLN  NLN  a@b.com Bob \r\nQNG\r\n", 1, nil, 1},
		{"tab", "NLN\tNLN a@b.com Bob\r\nQNG\r\n", 1, nil, 1},
		{"lower-case verb", "qng\r\nQNG\r\n", 1, nil, 1},
		{"non-numeric payload length", "MSG a@b.com Bob abc\r\n", 0, ErrProtocol, 0},
		{"payload length too long", "MSG a@b.com Bob 99999999\r\n", 0, ErrProtocol, 0},
		{"payload over the cap", "MSG a@b.com Bob 900000\r\n", 0, ErrProtocol, 0},
		{"negative payload length", "MSG a@b.com Bob -5\r\n", 0, ErrProtocol, 0},
		{"truncated payload", "MSG a@b.com Bob 100\r\nshort", 0, errUnexpectedEOF, 0},
		{"unknown payload-looking command", "ZZZ 1 2 30\r\n", 0, ErrProtocol, 0},
		{"unknown command", "ZZZ hello\r\nQNG\r\n", 2, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmds, errs := readAll(t, tc.input, MSNP8)
			if len(cmds) != tc.cmds {
				t.Errorf("got %d commands, want %d", len(cmds), tc.cmds)
			}
			last := errs[len(errs)-1]
			if tc.fatal == nil && last.Error() != "EOF" {
				t.Errorf("stopped with %v, want EOF", last)
			}
			if tc.fatal == errUnexpectedEOF && !strings.Contains(last.Error(), "unexpected EOF") {
				t.Errorf("stopped with %v", last)
			} else if tc.fatal != nil && tc.fatal != errUnexpectedEOF && !errors.Is(last, tc.fatal) {
				t.Errorf("stopped with %v, want %v", last, tc.fatal)
			}
			if skipped := len(errs) - 1; skipped != tc.skipped {
				t.Errorf("skipped %d lines, want %d: %v", skipped, tc.skipped, errs)
			}
		})
	}
}

var errUnexpectedEOF = errors.New("unexpected EOF")

func TestReaderPayloadExact(t *testing.T) {
	payload := "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nline\nwith\r\nbreaks\n"
	cmds, _ := readAll(t, "MSG bob@x Bob "+strconv.Itoa(len(payload))+"\r\n"+payload+"QNG\r\n", MSNP8)
	if len(cmds) != 2 || string(cmds[0].Payload) != payload || len(cmds[0].Args) != 2 {
		t.Fatalf("payload not read exactly: %+v", cmds)
	}
}
