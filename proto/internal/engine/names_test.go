package engine

import "testing"

func TestDecodeName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Alice", "Alice"},
		{"Alice%20%E2%98%85", "Alice ★"},
		{"100%25%20sure", "100% sure"},
		// transcripts/08 q8: the revival server re-encodes only spaces.
		{"100%%20sure%20&%2050A%20ok", "100% sure & 50A ok"},
		{"50%", "50%"},
		{"50%2", "50%2"},
		{"%zz%41", "%zzA"},
		{"a+b", "a+b"},
		{"%", "%"},
		{"%%", "%%"},
		{"%4a%4A", "JJ"},
	} {
		if got := DecodeName(tc.in); got != tc.want {
			t.Errorf("DecodeName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
