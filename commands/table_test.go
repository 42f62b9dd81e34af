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

// TestTableAlignsWideAndCombining checks that columns line up on a
// terminal when cells hold wide (CJK) characters, which take two
// columns, combining marks, which take none, and zero-width characters,
// which are shown escaped.
func TestTableAlignsWideAndCombining(t *testing.T) {
	tb := newTable("NAME", "STATUS")
	tb.add("李小龍", "online")        // 3 wide characters: 6 columns
	tb.add("Ame\u0301lie", "away") // e + combining acute: 6 columns
	tb.add("a\u200bb", "busy")     // the zero-width space is escaped: 8 columns
	var out bytes.Buffer
	if err := tb.write(&out); err != nil {
		t.Fatal(err)
	}
	want := "NAME      STATUS\n" +
		"李小龍    online\n" +
		"Ame\u0301lie    away\n" +
		"a\\u200bb  busy\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
	for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		name, _, _ := strings.Cut(line, "  ")
		if i := strings.LastIndex(line, " ") + 1; displayWidth(line[:i]) != 10 {
			t.Errorf("%q: the second column starts at column %d, want 10 (%q)", line, displayWidth(line[:i]), name)
		}
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
