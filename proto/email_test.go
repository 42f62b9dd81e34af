package proto

import (
	"errors"
	"strings"
	"testing"
)

// TestCheckAccountHiddenRunes checks that every bidi control,
// zero-width and other invisible character is refused, and that the
// error shows the address escaped, never the raw rune.
func TestCheckAccountHiddenRunes(t *testing.T) {
	hidden := []rune{
		0x202A, 0x202B, 0x202C, 0x202D, 0x202E, // embeddings and overrides
		0x2066, 0x2067, 0x2068, 0x2069, // isolates
		0x200B, 0x200C, 0x200D, 0x200E, 0x200F, // zero-width and marks
		0x2060, 0xFEFF, 0x061C, 0x00AD, 0x034F, 0xFE0F, 0xE0041, // word joiner, BOM, ALM, soft hyphen, CGJ, VS16, tag
		0x00A0, 0x3000, 0x2028, 0x2029, 0x0085, '\t', 0x7f, 0,
	}
	for _, r := range hidden {
		addr := "bob@exa" + string(r) + "mple.com"
		err := CheckAccount(addr)
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("U+%04X: err %v, want ErrInvalidArgument", r, err)
			continue
		}
		if strings.ContainsRune(err.Error(), r) {
			t.Errorf("U+%04X: the error holds the raw rune: %q", r, err)
		}
		if !strings.Contains(err.Error(), "bob@exa\\") {
			t.Errorf("U+%04X: the address is not shown escaped: %q", r, err)
		}
	}
	if err := CheckAccount("bob@exa\xffmple.com"); err == nil || strings.Contains(err.Error(), "\xff") {
		t.Errorf("invalid UTF-8: %q", err)
	}
}

// TestCheckAccountShape checks the plain address rules.
func TestCheckAccountShape(t *testing.T) {
	for addr, ok := range map[string]bool{
		"bob@example.com":             true,
		"Bob.Smith+msn@example.co.uk": true,
		"josé@example.com":            true,
		"bob":                         false,
		"@example.com":                false,
		"bob@":                        false,
		"bob @example.com":            false,
		strings.Repeat("a", 120) + "@example.com": false,
	} {
		if err := CheckAccount(addr); (err == nil) != ok {
			t.Errorf("%q: err %v, want ok %v", addr, err, ok)
		}
	}
}
