package keyring

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFileBounds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("12345"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := ReadFile(path, 5)
	if err != nil || string(b) != "12345" {
		t.Fatalf("ReadFile at the limit = %q, %v", b, err)
	}
	_, err = ReadFile(path, 4)
	if !errors.Is(err, ErrFileTooLarge) || !strings.Contains(err.Error(), "larger than 4 bytes") {
		t.Fatalf("ReadFile past the limit: %v", err)
	}
}
