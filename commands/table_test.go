package commands

import (
	"bytes"
	"strings"
	"testing"

	"msn/proto"
)

func TestTableAligns(t *testing.T) {
	tb := newTable("EMAIL", "STATUS", "NAME")
	tb.add("bob@example.com", "online", "Bob ★")
	tb.add("a@b.c", "away", "")
	var out bytes.Buffer
	if err := tb.write(&out); err != nil {
		t.Fatal(err)
	}
	want := "EMAIL            STATUS  NAME\n" +
		"bob@example.com  online  Bob ★\n" +
		"a@b.c            away\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

// Names from peers cannot move the cursor, fake a line or reorder text.
func TestShowTextEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"Bob\x1b[2J":             `Bob\x1b[2J`,
		"line\nfake":             `line\nfake`,
		"evil\u202egnp.exe":      `evil\u202egnp.exe`,
		"zero\u200bwidth\ufeff":  `zero\u200bwidth\ufeff`,
		"c1\u0085del\x7f":        `c1\u0085del\x7f`,
		"isolate\u2066x\u2069":   `isolate\u2066x\u2069`,
		"plain Ünïcödé ★":        "plain Ünïcödé ★",
		"sep\u2028para\u2029end": `sep\u2028para\u2029end`,
	} {
		if got := showText(in); got != want {
			t.Errorf("showText(%q) = %q, want %q", in, got, want)
		}
	}
}

// A huge name is cut to 1 KiB for display, on a rune boundary (hostile
// inputs 2.4, case 49).
func TestShowTextTruncates(t *testing.T) {
	got := showText(strings.Repeat("é", 10000))
	if !strings.HasSuffix(got, "…") || len(got) > proto.MaxNameBytes+len("…") {
		t.Fatalf("len %d, suffix %q", len(got), got[len(got)-4:])
	}
	if strings.ContainsRune(got, '\uFFFD') {
		t.Error("cut inside a rune")
	}
}

// An unknown status code is shown as unknown(CODE) (hostile inputs 2.4,
// case 50).
func TestShowStatus(t *testing.T) {
	if got := showStatus("XYZ"); got != "unknown(XYZ)" {
		t.Errorf("got %q", got)
	}
	if got := showStatus("\x1b]0;x"); got != `unknown(\x1b]0;x)` {
		t.Errorf("got %q", got)
	}
	if got := showStatus(proto.StatusBRB); got != "brb" {
		t.Errorf("got %q", got)
	}
}

func TestParsePresence(t *testing.T) {
	for _, ok := range []string{"online", "Busy", "idle", "brb", "away", "phone", "lunch", "hidden"} {
		if _, err := parsePresence(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"offline", "", "dancing", "FLN"} {
		if _, err := parsePresence(bad); ExitCode(err) != ExUsage {
			t.Errorf("%q: %v (exit %d)", bad, err, ExitCode(err))
		}
	}
}
