package inbox

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrNoFreeName is returned by [File.Commit] when the name and all its
// numbered variants up to " (999)" are taken.
var ErrNoFreeName = errors.New("inbox: no free name")

// maxCopies is the highest number tried in "base (n).ext".
const maxCopies = 999

// Commit syncs and closes the temporary file and moves it into place,
// returning the final path (the directory joined with the final name).
//
// Without overwrite it never replaces an existing entry of any kind: if the
// name is taken it tries "base (1).ext" up to "base (999).ext", each created
// exclusively. With overwrite it replaces a regular file or a symbolic link
// (the link itself, never its target) at the name; a directory is never
// replaced, and the numbered names are used instead. Commit then syncs the
// directory.
//
// After Commit the File is done. If the file could not be placed, the
// temporary file is removed and the path is "". If it was placed but the
// temporary name could not be removed or the directory not synced, Commit
// returns the final path and the error.
func (f *File) Commit(overwrite bool) (string, error) {
	if f.done {
		return "", fmt.Errorf("inbox: commit: %w", os.ErrClosed)
	}
	f.done = true
	if err := f.closeSynced(); err != nil {
		f.discard()
		return "", err
	}
	final, err := f.place(overwrite)
	if err != nil {
		f.discard()
		return "", err
	}
	defer f.root.Close()
	path := filepath.Join(f.dir, final)
	if err := f.root.Remove(f.tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return path, fmt.Errorf("inbox: remove temporary file: %w", err)
	}
	if err := syncDir(f.root); err != nil {
		return path, err
	}
	return path, nil
}

// closeSynced syncs and closes the temporary file.
func (f *File) closeSynced() error {
	err := f.f.Sync()
	if cerr := f.f.Close(); err == nil {
		err = cerr
	}
	f.f = nil
	if err != nil {
		return fmt.Errorf("inbox: commit: %w", err)
	}
	return nil
}

// place gives the temporary file its final name and returns that name. The
// temporary name may remain as a second link; the caller removes it.
func (f *File) place(overwrite bool) (string, error) {
	if overwrite {
		done, err := f.replace()
		if done || err != nil {
			return f.name, err
		}
	}
	for n := 0; n <= maxCopies; n++ {
		name := numbered(f.name, n)
		err := linkExclusive(f.root, f.tmp, name)
		if err == nil {
			return name, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("inbox: commit: %w", err)
		}
	}
	return "", fmt.Errorf("%w for %q (tried up to %d copies)", ErrNoFreeName, f.name, maxCopies)
}

// replace renames the temporary file over f.name unless f.name is a
// directory. It reports false and no error when the name is a directory, so
// that the caller falls back to numbered names.
func (f *File) replace() (bool, error) {
	if fi, err := f.root.Lstat(f.name); err == nil && fi.IsDir() {
		return false, nil
	}
	err := f.root.Rename(f.tmp, f.name)
	if err == nil {
		return true, nil
	}
	if fi, lerr := f.root.Lstat(f.name); lerr == nil && fi.IsDir() {
		return false, nil // a directory appeared after the first check
	}
	return false, fmt.Errorf("inbox: commit: %w", err)
}

// numbered returns name for n == 0 and "base (n).ext" otherwise.
func numbered(name string, n int) string {
	if n == 0 {
		return name
	}
	base, ext := splitExt(name)
	return base + " (" + strconv.Itoa(n) + ")" + ext
}

// splitExt splits name before its last '.', unless that dot starts the name
// or the extension is longer than maxExtBytes.
func splitExt(name string) (base, ext string) {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 || len(name)-i > maxExtBytes {
		return name, ""
	}
	return name[:i], name[i:]
}
