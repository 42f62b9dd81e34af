package inbox

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ErrUnsafeName is returned by [Create] for a name that [SafeName] would
// change.
var ErrUnsafeName = errors.New("inbox: name is not a safe base name")

// createAttempts bounds the retries when a temporary name is taken.
const createAttempts = 100

// File is a file being received: a temporary file in the target directory,
// moved into place by [File.Commit] or removed by [File.Abort]. One of the
// two must be called to release it. A File is not safe for concurrent use.
type File struct {
	dir  string
	name string   // final name, a SafeName
	tmp  string   // temporary name inside root
	root *os.Root // the target directory
	f    *os.File // the open temporary file, nil once closed
	done bool     // committed or aborted
}

// Create creates a new temporary file in dir for a file to be stored as
// name, which must already be a [SafeName]. The temporary file is named
// ".<name>.<random>.part", created exclusively with mode 0600 through an
// [os.Root] for dir, so nothing outside dir can be touched.
func Create(dir, name string) (*File, error) {
	if name == "" || SafeName(name) != name {
		return nil, fmt.Errorf("%w: %q", ErrUnsafeName, name)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("inbox: open directory: %w", err)
	}
	for range createAttempts {
		tmp := tempName(name)
		f, err := root.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			root.Close()
			return nil, fmt.Errorf("inbox: create temporary file: %w", err)
		}
		return &File{dir: dir, name: name, tmp: tmp, root: root, f: f}, nil
	}
	root.Close()
	return nil, fmt.Errorf("inbox: create temporary file for %q: %w", name, fs.ErrExist)
}

// tempName returns ".<name>.<random>.part" with 48 random bits.
func tempName(name string) string {
	var b [6]byte
	rand.Read(b[:])
	return "." + name + "." + hex.EncodeToString(b[:]) + ".part"
}

// Write writes p to the temporary file.
func (f *File) Write(p []byte) (int, error) {
	if f.f == nil {
		return 0, fmt.Errorf("inbox: write: %w", os.ErrClosed)
	}
	n, err := f.f.Write(p)
	if err != nil {
		err = fmt.Errorf("inbox: write: %w", err)
	}
	return n, err
}

// Sync flushes the temporary file to stable storage.
func (f *File) Sync() error {
	if f.f == nil {
		return fmt.Errorf("inbox: sync: %w", os.ErrClosed)
	}
	if err := f.f.Sync(); err != nil {
		return fmt.Errorf("inbox: sync: %w", err)
	}
	return nil
}

// Abort closes and removes the temporary file, so nothing is left under any
// name. It is a no-op after [File.Commit] or a previous Abort.
func (f *File) Abort() error {
	if f.done {
		return nil
	}
	f.done = true
	return f.discard()
}

// discard closes and removes the temporary file and closes the root.
func (f *File) discard() error {
	if f.f != nil {
		f.f.Close() // the data is being thrown away; a close error changes nothing
		f.f = nil
	}
	err := f.root.Remove(f.tmp)
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	f.root.Close()
	if err != nil {
		return fmt.Errorf("inbox: remove temporary file: %w", err)
	}
	return nil
}
