package inbox

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestLinkFallback exercises the renameat2 path used on file systems without
// hard links, by handing linkFallback the EPERM such a file system returns.
func TestLinkFallback(t *testing.T) {
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	eperm := &os.LinkError{Op: "linkat", Old: "tmp", New: "new", Err: unix.EPERM}

	write("tmp", "data")
	if err := linkFallback(root, "tmp", "new", eperm); err != nil {
		t.Fatalf("linkFallback: %v", err)
	}
	wantFile(t, filepath.Join(dir, "new"), "data")
	wantEntries(t, dir, "new")

	write("tmp", "more")
	if err := linkFallback(root, "tmp", "new", eperm); !errors.Is(err, fs.ErrExist) {
		t.Errorf("linkFallback onto a file: %v, want fs.ErrExist", err)
	}
	if err := os.Symlink("missing", filepath.Join(dir, "dangling")); err != nil {
		t.Fatal(err)
	}
	if err := linkFallback(root, "tmp", "dangling", eperm); !errors.Is(err, fs.ErrExist) {
		t.Errorf("linkFallback onto a dangling link: %v, want fs.ErrExist", err)
	}
	wantFile(t, filepath.Join(dir, "new"), "data")
	wantFile(t, filepath.Join(dir, "tmp"), "more")

	other := errors.New("other")
	if err := linkFallback(root, "tmp", "x", other); err != other {
		t.Errorf("linkFallback passes on %v as %v", other, err)
	}
	if err := linkFallback(root, "tmp", "../x", eperm); err != eperm {
		t.Errorf("linkFallback with a separator: %v, want the link error", err)
	}
}
