package msntest

import (
	"bufio"
	"net"
	"strings"
	"testing"
)

// run plays script against a client that writes client (or, when it is
// empty, hangs up at once), and returns what the script sent back and
// Play's error.
func run(t *testing.T, script, client string) (string, error) {
	t.Helper()
	s, err := Parse("test", script)
	if err != nil {
		t.Fatal(err)
	}
	c, srv := net.Pipe()
	errc := make(chan error, 1)
	go func() { errc <- Play(srv, s) }()
	var got strings.Builder
	done := make(chan struct{})
	go func() {
		defer close(done)
		br := bufio.NewReader(c)
		for {
			line, err := br.ReadString('\n')
			got.WriteString(line)
			if err != nil {
				return
			}
		}
	}()
	if client == "" {
		c.Close() // the client hangs up without a word
	} else {
		_, _ = c.Write([]byte(client))
	}
	err = <-errc
	c.Close()
	<-done
	return got.String(), err
}

func TestPlayBindsAndSubstitutes(t *testing.T) {
	got, err := run(t, "C: VER $1 MSNP8 CVR0\nS: VER $1 MSNP8\nC: CVR $2 *\nS: CVR $2 ok\n",
		"VER 7 MSNP8 CVR0\r\nCVR 8 anything\r\n")
	if err != nil {
		t.Fatal(err)
	}
	if got != "VER 7 MSNP8\r\nCVR 8 ok\r\n" {
		t.Fatalf("script sent %q", got)
	}
}

func TestPlayPayloadLength(t *testing.T) {
	got, err := run(t, "C: PNG\nS: MSG Hotmail Hotmail *\n| a\n|\n| b\n", "PNG\r\n")
	if err != nil {
		t.Fatal(err)
	}
	if got != "MSG Hotmail Hotmail 6\r\na\r\n\r\nb" {
		t.Fatalf("script sent %q", got)
	}
}

func TestPlayReportsDifferences(t *testing.T) {
	for name, tc := range map[string]struct{ script, client, want string }{
		"other field":     {"C: VER $1 MSNP8\n", "VER 1 MSNP7\r\n", "want \"VER $1 MSNP8\""},
		"rebound TrID":    {"C: VER $1 MSNP8\nC: CVR $1 x\n", "VER 1 MSNP8\r\nCVR 2 x\r\n", "$1 is \"1\""},
		"field count":     {"C: USR $1 TWN I a@b\n", "USR 1 TWN I\r\n", "want \"USR $1 TWN I a@b\""},
		"no CRLF":         {"C: PNG\n", "PNG\n", "does not end in CRLF"},
		"payload differs": {"C: MSG $1 A *\n| hi\n", "MSG 1 A 2\r\nho", "payload differs"},
		"client closed":   {"C: PNG\n", "", "client closed"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := run(t, tc.script, tc.client)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestParseRejectsUnknownSteps(t *testing.T) {
	if _, err := Parse("bad", "X: what\n"); err == nil {
		t.Fatal("unknown step accepted")
	}
}

func TestPlayBindsInPayloads(t *testing.T) {
	script := "C: MSG $1 N *\n| Invitation-Cookie: $c\n| Name: x\nS: MSG bob Bob *\n| Invitation-Cookie: $c\n|+ Port: 1\n"
	got, err := run(t, script, "MSG 1 N 32\r\nInvitation-Cookie: 4242\r\nName: x")
	if err != nil {
		t.Fatal(err)
	}
	if want := "MSG bob Bob 34\r\nInvitation-Cookie: 4242\r\nPort: 1\r\n"; got != want {
		t.Fatalf("script sent %q, want %q", got, want)
	}
	for _, client := range []string{
		"MSG 1 N 31\r\nInvitation-Cookie: 424\r\nName: y",      // a literal word differs
		"MSG 1 N 31\r\nInvitation-Cookie: 4242\r\nName x",      // word count differs
		"MSG 1 N 34\r\nInvitation-Cookie: 4242\r\nName: x\r\n", // line count differs
	} {
		if _, err := run(t, script, client); err == nil {
			t.Errorf("client %q passed", client)
		}
	}
}
