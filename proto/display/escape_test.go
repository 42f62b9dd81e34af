package display

import "testing"

func TestEscape(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain text, é and 日本", "plain text, é and 日本"},
		{"a\r\nb\tc", `a\r\nb\tc`},
		{"\x1b[2J\x00\x7f", `\x1b[2J\x00\x7f`},
		{"c1 \u0085\u009b", `c1 \u0085\u009b`},
		{"bidi \u202a\u202b\u202c\u202d\u202e", `bidi \u202a\u202b\u202c\u202d\u202e`},
		{"isolates \u2066\u2067\u2068\u2069", `isolates \u2066\u2067\u2068\u2069`},
		{"zero width \u200b\u200c\u200d\u200e\u200f\u2060\ufeff", `zero width \u200b\u200c\u200d\u200e\u200f\u2060\ufeff`},
		{"separators \u2028\u2029", `separators \u2028\u2029`},
		{"bad \xff\xc3", `bad \xff\xc3`},
		{"replacement \ufffd kept", "replacement \ufffd kept"},
	} {
		if got := Escape(c.in); got != c.want {
			t.Errorf("Escape(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNeedsEscapeKeepsPrintable(t *testing.T) {
	for _, r := range " ~é\u00a0\u2013\u20ac日😀" {
		if NeedsEscape(r) {
			t.Errorf("NeedsEscape(%U) = true, want false", r)
		}
	}
}
