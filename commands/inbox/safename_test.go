package inbox

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// hostileNames are the offered names of hostile-inputs §2.6 items 74 and 76
// and friends; the fuzz target uses them as seeds.
var hostileNames = []string{
	"../../.bashrc",
	"/etc/passwd",
	`..\..\AppData\x.dll`,
	`C:\Windows\x.dll`,
	"sub/dir/x",
	"a/../../b",
	`c:\Users\u\AppData\Local\Packages\…\image.png`,
	"evil\u202Etxt.exe",
	"x\r\nIP-Address: 6.6.6.6\r\nPort: 22",
	"\x1b[31mred\x1b[0m",
	"CON",
	"nul.txt",
	"",
	".",
	"..",
	"...",
	"photo.jpg",
	strings.Repeat("€", 100) + ".txt",
}

func TestSafeName(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		// Path traversal (§2.6 item 74).
		{"../../.bashrc", "_bashrc"},
		{"/etc/passwd", "passwd"},
		{`..\..\AppData\x.dll`, "x.dll"},
		{`C:\Windows\x.dll`, "x.dll"},
		{"sub/dir/x", "x"},
		{"a/../../b", "b"},
		{`c:\Users\u\AppData\Local\Packages\…\image.png`, "image.png"},
		{"C:x.dll", "x.dll"},
		{"c:", "file"},
		{"dir/", "file"},
		{`a/b\c`, "c"},
		{"a\uFF3Cb\uFF0Fc", "a_b_c"},

		// Controls, bidi and zero-width characters.
		{"evil\u202Etxt.exe", "evil_txt.exe"},
		{"a\u200Bb", "a_b"},
		{"\uFEFFname.txt", "_name.txt"},
		{"line\nbreak", "line_break"},
		{"x\r\nIP-Address: 6.6.6.6", "x__IP-Address_ 6.6.6.6"},
		{"\x1b[31mred", "_[31mred"},
		{"a\x00b", "a_b"},
		{"a\x7fb", "a_b"},
		{"a\u0085b", "a_b"},
		{"a\u009bb", "a_b"},
		{"a\u2028b\u2029c", "a_b_c"},
		{"a\u2066b\u2069", "a_b_"},
		{"tag\U000E0041", "tag_"},
		{"bad\xffutf8", "bad_utf8"},
		{"\u202E", "_"},

		// Characters Windows forbids.
		{`a<b>c:d"e|f?g*h`, "a_b_c_d_e_f_g_h"},
		{"file.txt:stream", "file.txt_stream"},

		// White space and dots.
		{"  report.pdf  ", "report.pdf"},
		{"name. . .", "name"},
		{"name\u00a0", "name"},
		{"\tname", "_name"},
		{"", "file"},
		{".", "file"},
		{"..", "file"},
		{"...", "file"},
		{"   ", "file"},
		{" . . ", "file"},

		// Hidden files.
		{".bashrc", "_bashrc"},
		{"..bashrc", "_.bashrc"},
		{" .profile", "_profile"},

		// Windows device names.
		{"CON", "_CON"},
		{"con", "_con"},
		{"nul.txt", "_nul.txt"},
		{"Prn.tar.gz", "_Prn.tar.gz"},
		{"AUX", "_AUX"},
		{"aux ", "_aux"},
		{"nul .txt", "_nul .txt"},
		{"com1", "_com1"},
		{"COM9.log", "_COM9.log"},
		{"lpt1", "_lpt1"},
		{"LPT0", "_LPT0"},
		{"com²", "_com²"},
		{"CONIN$", "_CONIN$"},
		{"conout$.txt", "_conout$.txt"},
		{"COM10", "COM10"},
		{"console", "console"},
		{"nullable.txt", "nullable.txt"},
		{"_con", "_con"},
		{"C:con", "_con"},

		// Ordinary names pass unchanged.
		{"photo.jpg", "photo.jpg"},
		{"résumé.pdf", "résumé.pdf"},
		{"日本語.txt", "日本語.txt"},
		{"a b (1).txt", "a b (1).txt"},
		{"archive.tar.gz", "archive.tar.gz"},
	}
	for _, tt := range tests {
		got := SafeName(tt.in)
		if got != tt.want {
			t.Errorf("SafeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		checkSafe(t, tt.in, got)
	}
}

func TestSafeNameLong(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"ascii keeps extension", strings.Repeat("a", 300) + ".txt", strings.Repeat("a", 196) + ".txt"},
		{"3-byte runes cut on a boundary", strings.Repeat("€", 100) + ".txt", strings.Repeat("€", 65) + ".txt"},
		{"4-byte runes", strings.Repeat("😀", 60) + ".png", strings.Repeat("😀", 49) + ".png"},
		{"no extension", strings.Repeat("€", 100), strings.Repeat("€", 66)},
		{"extension too long to keep", strings.Repeat("a", 190) + "." + strings.Repeat("b", 30), strings.Repeat("a", 190) + "." + strings.Repeat("b", 9)},
		{"cut leaves trailing spaces", strings.Repeat("a", 195) + strings.Repeat(" ", 20) + "x.txt", strings.Repeat("a", 195) + ".txt"},
		{"cut reveals a device name", "CON" + strings.Repeat(" ", 300) + "a.txt", "_CON.txt"},
		{"device name with long tail", "con." + strings.Repeat("x", 300), "_con." + strings.Repeat("x", 195)},
		{"exactly the limit", strings.Repeat("b", MaxNameBytes), strings.Repeat("b", MaxNameBytes)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SafeName(tt.in)
			if got != tt.want {
				t.Errorf("SafeName(%q)\n got %q (%d bytes)\nwant %q (%d bytes)", tt.in, got, len(got), tt.want, len(tt.want))
			}
			checkSafe(t, tt.in, got)
		})
	}
}

// checkSafe fails t unless out, the SafeName of in, has every promised
// property.
func checkSafe(t *testing.T, in, out string) {
	t.Helper()
	switch {
	case out == "" || out == "." || out == "..":
		t.Errorf("SafeName(%q) = %q: empty or dots", in, out)
	case !utf8.ValidString(out):
		t.Errorf("SafeName(%q) = %q: invalid UTF-8", in, out)
	case len(out) > MaxNameBytes:
		t.Errorf("SafeName(%q) = %q: %d bytes, more than %d", in, out, len(out), MaxNameBytes)
	case strings.ContainsAny(out, `/\`):
		t.Errorf("SafeName(%q) = %q: contains a separator", in, out)
	case strings.ContainsFunc(out, func(r rune) bool { return !unicode.IsGraphic(r) }):
		t.Errorf("SafeName(%q) = %q: contains a control or format character", in, out)
	case strings.ContainsAny(out, `<>:"|?*`):
		t.Errorf("SafeName(%q) = %q: contains a character Windows forbids", in, out)
	case out[0] == '.':
		t.Errorf("SafeName(%q) = %q: hidden", in, out)
	case isReservedName(out):
		t.Errorf("SafeName(%q) = %q: a Windows device name", in, out)
	case strings.TrimSpace(out) != out || strings.HasSuffix(out, "."):
		t.Errorf("SafeName(%q) = %q: untrimmed", in, out)
	case !filepath.IsLocal(out):
		t.Errorf("SafeName(%q) = %q: not local", in, out)
	case SafeName(out) != out:
		t.Errorf("SafeName(%q) = %q, but SafeName(%q) = %q: not idempotent", in, out, out, SafeName(out))
	}
}

func TestNumbered(t *testing.T) {
	tests := []struct {
		name string
		n    int
		want string
	}{
		{"photo.jpg", 0, "photo.jpg"},
		{"photo.jpg", 1, "photo (1).jpg"},
		{"photo.jpg", 999, "photo (999).jpg"},
		{"README", 2, "README (2)"},
		{"archive.tar.gz", 1, "archive.tar (1).gz"},
		{"_bashrc", 1, "_bashrc (1)"},
		{"a." + strings.Repeat("x", 20), 1, "a." + strings.Repeat("x", 20) + " (1)"},
	}
	for _, tt := range tests {
		if got := numbered(tt.name, tt.n); got != tt.want {
			t.Errorf("numbered(%q, %d) = %q, want %q", tt.name, tt.n, got, tt.want)
		}
	}
	long := SafeName(strings.Repeat("€", 100) + ".txt")
	if got := numbered(long, maxCopies); len(got) > 255 || len(tempName(got)) > 255 {
		t.Errorf("numbered long name: %d bytes, temporary %d bytes; want both ≤ 255", len(got), len(tempName(got)))
	}
}
