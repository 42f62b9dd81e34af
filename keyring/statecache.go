package keyring

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"sync"
	"time"
)

// fileCache keeps what this process last read or wrote of each file of
// the state directory, with the file's identity (inode, size, time), so
// that a file is read once and read again only when another process has
// replaced it: a stat tells. File times are coarse (milliseconds), so a
// file read within racyWindow of its last change is read again next
// time, as a change in place of the same size in the same tick would not
// show; a file this process wrote is trusted, as every write here makes
// a new file.
type fileCache[T any] struct {
	mu sync.Mutex
	m  map[string]cachedFile[T]
}

type cachedFile[T any] struct {
	fi    fs.FileInfo
	at    time.Time // when it was cached
	wrote bool      // this process wrote it
	v     T
}

// racyWindow is how old a file must have been when it was cached for the
// cache to be trusted.
const racyWindow = 2 * time.Second

// get returns the value cached for path if fi still describes the same
// file.
func (c *fileCache[T]) get(path string, fi fs.FileInfo) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[path]
	if !ok || !sameFile(e.fi, fi) || !e.wrote && e.at.Before(e.fi.ModTime().Add(racyWindow)) {
		var zero T
		return zero, false
	}
	return e.v, true
}

// put records v as the content of path, described by fi; wrote says
// this process wrote it.
func (c *fileCache[T]) put(path string, fi fs.FileInfo, v T, wrote bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]cachedFile[T]{}
	}
	c.m[path] = cachedFile[T]{fi: fi, at: time.Now(), wrote: wrote, v: v}
}

// drop forgets path.
func (c *fileCache[T]) drop(path string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, path)
}

// sameFile reports whether a and b describe the same unchanged file: a
// rename over it (how every write here ends) makes a new one.
func sameFile(a, b fs.FileInfo) bool {
	return os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

var (
	stateFiles fileCache[stateFile] // state.json, decoded
	listFiles  fileCache[[]byte]    // contact list files
)

// cachedRead returns the content of the file at path, at most limit
// bytes, through cache: decode turns the bytes into the cached value and
// fails on content it cannot use (which is not cached).
func cachedRead[T any](cache *fileCache[T], path string, limit int64, decode func([]byte) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		cache.drop(path)
		return zero, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return zero, err
	}
	if v, ok := cache.get(path, fi); ok {
		return v, nil
	}
	data, err := readBounded(f, path, limit, fi.Size())
	if err != nil {
		return zero, err
	}
	fileOps.reads.Add(1)
	v, err := decode(data)
	if err != nil {
		return zero, err
	}
	cache.put(path, fi, v, false)
	return v, nil
}

// cachedWrite writes data to path atomically and caches v as its content.
func cachedWrite[T any](cache *fileCache[T], path string, data []byte, v T) error {
	if err := writeFileAtomic(path, data); err != nil {
		cache.drop(path)
		return err
	}
	if fi, err := os.Stat(path); err == nil {
		cache.put(path, fi, v, true)
	} else {
		cache.drop(path)
	}
	return nil
}

// errCorrupt reports a state file that does not decode.
var errCorrupt = errors.New("keyring: state file does not decode")

// stateFileAt reads dir/state.json through the cache: a missing file is
// empty; bad reports one that is oversized or does not decode.
func stateFileAt(dir string) (f stateFile, bad bool, err error) {
	f, err = cachedRead(&stateFiles, statePathIn(dir), maxStateFile, func(data []byte) (stateFile, error) {
		f, ok := decodeStateFile(data)
		if !ok {
			return stateFile{}, errCorrupt
		}
		return f, nil
	})
	switch {
	case err == nil:
		return cloneStateFile(f), false, nil
	case errors.Is(err, fs.ErrNotExist):
		return emptyStateFile(), false, nil
	case errors.Is(err, ErrFileTooLarge), errors.Is(err, errCorrupt):
		return emptyStateFile(), true, nil
	}
	return emptyStateFile(), false, fmt.Errorf("keyring: read state: %w", err)
}

// emptyStateFile is the state of a new directory.
func emptyStateFile() stateFile {
	return stateFile{Settings: map[string]Settings{}, States: map[string]State{}}
}

// cloneStateFile copies f so that changing the copy's maps leaves f as
// it is.
func cloneStateFile(f stateFile) stateFile {
	f.Settings = maps.Clone(f.Settings)
	f.States = maps.Clone(f.States)
	return f
}

// ForgetFiles makes this process forget what it read or wrote of the
// state directory's files, as a new process would start: the next access
// reads them again. Tests use it to count what one command does.
func ForgetFiles() {
	stateFiles.reset()
	listFiles.reset()
}

// reset forgets every file.
func (c *fileCache[T]) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = nil
}
