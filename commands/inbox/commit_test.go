package inbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
)

// commitData receives data as name in dir and commits it.
func commitData(t *testing.T, dir, name, data string, overwrite bool) string {
	t.Helper()
	f, err := Create(dir, name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte(data)); err != nil {
		t.Fatal(err)
	}
	path, err := f.Commit(overwrite)
	if err != nil {
		t.Fatalf("Commit(%v): %v", overwrite, err)
	}
	return path
}

func wantFile(t *testing.T, path, data string) {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !fi.Mode().IsRegular() {
		t.Fatalf("%s: mode %v, want a regular file", path, fi.Mode())
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != data {
		t.Errorf("%s holds %q, want %q", path, got, data)
	}
}

func wantEntries(t *testing.T, dir string, names ...string) {
	t.Helper()
	slices.Sort(names)
	if got := entries(t, dir); !slices.Equal(got, names) {
		t.Errorf("entries of %s = %q, want %q", dir, got, names)
	}
}

func wantSymlink(t *testing.T, path, target string) {
	t.Helper()
	got, err := os.Readlink(path)
	if err != nil {
		t.Fatalf("%s is no longer a symbolic link: %v", path, err)
	}
	if got != target {
		t.Errorf("%s -> %s, want -> %s", path, got, target)
	}
}

func TestCommit(t *testing.T) {
	dir := t.TempDir()
	path := commitData(t, dir, "photo.jpg", "JPEG", false)
	if want := filepath.Join(dir, "photo.jpg"); path != want {
		t.Errorf("Commit = %q, want %q", path, want)
	}
	wantFile(t, path, "JPEG")
	wantEntries(t, dir, "photo.jpg")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want -rw-------", fi.Mode())
	}
}

func TestCommitEmpty(t *testing.T) {
	dir := t.TempDir()
	wantFile(t, commitData(t, dir, "empty", "", false), "")
}

func TestCommitCollision(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "photo.jpg"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	p1 := commitData(t, dir, "photo.jpg", "one", false)
	p2 := commitData(t, dir, "photo.jpg", "two", false)
	if filepath.Base(p1) != "photo (1).jpg" || filepath.Base(p2) != "photo (2).jpg" {
		t.Errorf("paths %q, %q; want photo (1).jpg, photo (2).jpg", p1, p2)
	}
	wantFile(t, filepath.Join(dir, "photo.jpg"), "old")
	wantFile(t, p1, "one")
	wantFile(t, p2, "two")
	wantEntries(t, dir, "photo.jpg", "photo (1).jpg", "photo (2).jpg")
}

func TestCommitCollisionNoExtension(t *testing.T) {
	dir := t.TempDir()
	commitData(t, dir, "README", "a", false)
	if p := commitData(t, dir, "README", "b", false); filepath.Base(p) != "README (1)" {
		t.Errorf("second README stored as %q, want README (1)", p)
	}
}

// symlinkSetup makes base/inbox with inbox/photo.jpg a symbolic link to
// target, and base/outside/secret holding "secret".
func symlinkSetup(t *testing.T, target func(base string) string) (inbox, outside, link string) {
	t.Helper()
	base := t.TempDir()
	inbox = filepath.Join(base, "inbox")
	outside = filepath.Join(base, "outside")
	for _, d := range []string{inbox, outside} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	link = target(base)
	if err := os.Symlink(link, filepath.Join(inbox, "photo.jpg")); err != nil {
		t.Fatal(err)
	}
	return inbox, outside, link
}

var symlinkTargets = []struct {
	name   string
	target func(base string) string
}{
	{"relative", func(string) string { return "../outside/secret" }},
	{"absolute", func(base string) string { return filepath.Join(base, "outside", "secret") }},
	{"dangling", func(string) string { return "../outside/missing" }},
	{"inside", func(string) string { return "other" }},
}

func TestCommitNeverFollowsSymlink(t *testing.T) {
	for _, tt := range symlinkTargets {
		t.Run(tt.name, func(t *testing.T) {
			inbox, outside, link := symlinkSetup(t, tt.target)
			p := commitData(t, inbox, "photo.jpg", "payload", false)
			if filepath.Base(p) != "photo (1).jpg" {
				t.Errorf("stored as %q, want photo (1).jpg", p)
			}
			wantFile(t, p, "payload")
			wantSymlink(t, filepath.Join(inbox, "photo.jpg"), link)
			wantFile(t, filepath.Join(outside, "secret"), "secret")
			wantEntries(t, outside, "secret")
			wantEntries(t, inbox, "photo.jpg", "photo (1).jpg")
		})
	}
}

func TestCommitOverwriteReplacesSymlinkItself(t *testing.T) {
	for _, tt := range symlinkTargets {
		t.Run(tt.name, func(t *testing.T) {
			inbox, outside, _ := symlinkSetup(t, tt.target)
			p := commitData(t, inbox, "photo.jpg", "payload", true)
			if want := filepath.Join(inbox, "photo.jpg"); p != want {
				t.Errorf("stored as %q, want %q", p, want)
			}
			wantFile(t, p, "payload")
			wantFile(t, filepath.Join(outside, "secret"), "secret")
			wantEntries(t, outside, "secret")
			wantEntries(t, inbox, "photo.jpg")
		})
	}
}

func TestCommitOverwriteRegularFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "photo.jpg"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := commitData(t, dir, "photo.jpg", "new", true)
	if filepath.Base(p) != "photo.jpg" {
		t.Errorf("stored as %q, want photo.jpg", p)
	}
	wantFile(t, p, "new")
	wantEntries(t, dir, "photo.jpg")
}

func TestCommitOverwriteMissing(t *testing.T) {
	dir := t.TempDir()
	wantFile(t, commitData(t, dir, "x", "new", true), "new")
	wantEntries(t, dir, "x")
}

func TestCommitNeverReplacesDirectory(t *testing.T) {
	for _, overwrite := range []bool{false, true} {
		t.Run(fmt.Sprint("overwrite=", overwrite), func(t *testing.T) {
			dir := t.TempDir()
			sub := filepath.Join(dir, "photo.jpg")
			if err := os.Mkdir(sub, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(sub, "keep"), []byte("keep"), 0o600); err != nil {
				t.Fatal(err)
			}
			p := commitData(t, dir, "photo.jpg", "payload", overwrite)
			if filepath.Base(p) != "photo (1).jpg" {
				t.Errorf("stored as %q, want photo (1).jpg", p)
			}
			wantFile(t, p, "payload")
			wantFile(t, filepath.Join(sub, "keep"), "keep")
			wantEntries(t, dir, "photo.jpg", "photo (1).jpg")
		})
	}
}

func TestCommitNoFreeName(t *testing.T) {
	dir := t.TempDir()
	var want []string
	for n := 0; n <= maxCopies; n++ {
		name := numbered("x.txt", n)
		want = append(want, name)
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	f, err := Create(dir, "x.txt")
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.Commit(false)
	if !errors.Is(err, ErrNoFreeName) || p != "" {
		t.Errorf("Commit = %q, %v; want ErrNoFreeName", p, err)
	}
	wantEntries(t, dir, want...)
	if err := f.Abort(); err != nil {
		t.Errorf("Abort after a failed Commit: %v", err)
	}
}

func TestCommitConcurrent(t *testing.T) {
	dir := t.TempDir()
	const n = 16
	paths := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			f, err := Create(dir, "same.bin")
			if err != nil {
				errs[i] = err
				return
			}
			if _, err := f.Write([]byte(strconv.Itoa(i))); err != nil {
				f.Abort()
				errs[i] = err
				return
			}
			paths[i], errs[i] = f.Commit(false)
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("receiver %d: %v", i, errs[i])
		}
		if seen[paths[i]] {
			t.Errorf("two receivers stored as %q", paths[i])
		}
		seen[paths[i]] = true
		wantFile(t, paths[i], strconv.Itoa(i))
	}
	if got := len(entries(t, dir)); got != n {
		t.Errorf("%d entries, want %d", got, n)
	}
}
