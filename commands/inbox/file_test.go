package inbox

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// entries returns the names in dir, sorted.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}

func TestCreateTempFile(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(dir, "photo.jpg")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Abort()
	names := entries(t, dir)
	if len(names) != 1 {
		t.Fatalf("entries = %q, want one temporary file", names)
	}
	tmp := names[0]
	if !strings.HasPrefix(tmp, ".photo.jpg.") || !strings.HasSuffix(tmp, ".part") {
		t.Errorf("temporary name %q, want .photo.jpg.<random>.part", tmp)
	}
	fi, err := os.Lstat(filepath.Join(dir, tmp))
	if err != nil {
		t.Fatal(err)
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
		t.Errorf("temporary file mode %v, want -rw-------", fi.Mode())
	}
}

func TestCreateDistinctTempNames(t *testing.T) {
	dir := t.TempDir()
	for range 5 {
		f, err := Create(dir, "x")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Abort()
	}
	if n := len(entries(t, dir)); n != 5 {
		t.Errorf("%d temporary files, want 5", n)
	}
}

func TestCreateRejectsUnsafeNames(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"", ".", "..", "../x", "a/b", `a\b`, ".bashrc", "CON", "nul.txt", "x\n", "evil\u202Etxt", " x", "x.", strings.Repeat("a", MaxNameBytes+1)} {
		f, err := Create(dir, name)
		if !errors.Is(err, ErrUnsafeName) {
			t.Errorf("Create(%q) error = %v, want ErrUnsafeName", name, err)
		}
		if f != nil {
			f.Abort()
		}
	}
	if names := entries(t, dir); len(names) != 0 {
		t.Errorf("entries after rejected creates = %q, want none", names)
	}
}

func TestCreateMissingDir(t *testing.T) {
	_, err := Create(filepath.Join(t.TempDir(), "missing"), "x")
	var pe *fs.PathError
	if !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &pe) {
		t.Errorf("Create in a missing directory: error %v, want a *fs.PathError matching fs.ErrNotExist", err)
	}
	if err != nil && !strings.HasPrefix(err.Error(), "inbox: ") {
		t.Errorf("error %q lacks the inbox: prefix", err)
	}
}

func TestCreateReadOnlyDir(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("directory permissions do not stop creating files on Windows")
	}
	if os.Geteuid() == 0 {
		// Root ignores directory permissions; use a file as the directory.
		file := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(file, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Create(file, "x"); err == nil {
			t.Fatal("Create under a regular file succeeded")
		}
		return
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	_, err := Create(dir, "x")
	if !errors.Is(err, fs.ErrPermission) {
		t.Errorf("Create in a read-only directory: error %v, want fs.ErrPermission", err)
	}
}

func TestAbort(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(dir, "photo.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("partial")); err != nil {
		t.Fatal(err)
	}
	if err := f.Abort(); err != nil {
		t.Fatalf("Abort: %v", err)
	}
	if names := entries(t, dir); len(names) != 0 {
		t.Errorf("entries after Abort = %q, want none", names)
	}
	if err := f.Abort(); err != nil {
		t.Errorf("second Abort: %v", err)
	}
	if _, err := f.Write([]byte("x")); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Write after Abort: %v, want os.ErrClosed", err)
	}
	if err := f.Sync(); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Sync after Abort: %v, want os.ErrClosed", err)
	}
	if _, err := f.Commit(false); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Commit after Abort: %v, want os.ErrClosed", err)
	}
	if names := entries(t, dir); len(names) != 0 {
		t.Errorf("entries at the end = %q, want none", names)
	}
}

func TestAbortAfterCommit(t *testing.T) {
	dir := t.TempDir()
	path := commitData(t, dir, "a.txt", "data", false)
	if err := (&File{done: true}).Abort(); err != nil {
		t.Errorf("Abort of a done File: %v", err)
	}
	f, err := Create(dir, "b.txt")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Commit(false); err != nil {
		t.Fatal(err)
	}
	if err := f.Abort(); err != nil {
		t.Errorf("Abort after Commit: %v", err)
	}
	if _, err := f.Commit(false); !errors.Is(err, os.ErrClosed) {
		t.Errorf("second Commit: %v, want os.ErrClosed", err)
	}
	wantFile(t, path, "data")
	wantFile(t, filepath.Join(dir, "b.txt"), "")
	wantEntries(t, dir, "a.txt", "b.txt")
}

func TestSync(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(dir, "x")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Abort()
	if _, err := f.Write([]byte("abc")); err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		t.Errorf("Sync: %v", err)
	}
}
