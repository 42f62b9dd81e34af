package keyring

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ErrNotRegular reports a path that holds a secret but names a
// directory, a device, a pipe or a socket rather than a regular file.
var ErrNotRegular = errors.New("not a regular file")

// PrivateError says why a file or directory that holds secrets was
// refused. It matches ErrInsecureFile, and ErrNotRegular when that is
// the reason.
type PrivateError struct {
	// Path is the file or directory refused.
	Path string
	// Problem says what is wrong: "is a symbolic link", "belongs to uid
	// 65534, not to uid 1000", "has mode 0644: group or others can read
	// it".
	Problem string
	// Fix is a command or step that repairs it, or "".
	Fix string

	notRegular bool
}

// Error names the path and the problem.
func (e *PrivateError) Error() string { return e.Path + ": " + e.Problem }

// Is matches ErrInsecureFile, and ErrNotRegular for a file that is not
// regular.
func (e *PrivateError) Is(target error) bool {
	return target == ErrInsecureFile || (e.notRegular && target == ErrNotRegular)
}

// OpenPrivate opens path for reading only when it is a file of the
// user's own that nobody else can use: not a symbolic link (the open
// does not follow one), a regular file, owned by the effective user and
// without any permission for group or others. The checks are made on
// the opened descriptor, so the file cannot be swapped between the check
// and the read. A missing file gives an error matching fs.ErrNotExist; a
// refused one a *PrivateError.
func OpenPrivate(path string) (*os.File, error) {
	f, err := openNoFollow(path)
	if err != nil {
		if isLoop(err) {
			return nil, symlinkError(path)
		}
		return nil, err
	}
	fi, err := f.Stat()
	switch {
	case err != nil:
	case !fi.Mode().IsRegular():
		err = &PrivateError{Path: path, Problem: "is not a regular file", notRegular: true}
	default:
		err = checkPrivate(path, fi, 0o077)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// ReadPrivate reads at most limit bytes of the file at path after
// OpenPrivate accepted it; a larger file gives an error matching
// ErrFileTooLarge.
func ReadPrivate(path string, limit int64) ([]byte, error) {
	f, err := OpenPrivate(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readBounded(f, path, limit, 0)
}

// CheckPrivateDir refuses a directory that holds secrets when it is a
// symbolic link, not a directory, owned by another user, or writable by
// group or others (who could then replace the files in it). A missing
// directory is fine: it is created 0700 when something is saved.
func CheckPrivateDir(dir string) error {
	fi, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return symlinkError(dir)
	}
	if !fi.IsDir() {
		return &PrivateError{Path: dir, Problem: "is not a directory", notRegular: true}
	}
	return checkPrivate(dir, fi, 0o022)
}

// checkPrivate applies the owner and mode rules to fi, the information
// of path: owned by the effective user, without any of the permission
// bits in loose.
func checkPrivate(path string, fi fs.FileInfo, loose fs.FileMode) error {
	if uid, me, ok := owner(fi); ok && uid != me {
		return &PrivateError{Path: path, Problem: fmt.Sprintf("belongs to uid %d, not to uid %d", uid, me),
			Fix: fmt.Sprintf("use a file of your own (or: chown %d %s)", me, path)}
	}
	if perm := fi.Mode().Perm(); perm&loose != 0 {
		what := "read"
		if loose == 0o022 {
			what = "write to"
		}
		fix := "chmod 600 " + path
		if fi.IsDir() {
			fix = "chmod 700 " + path
		}
		return &PrivateError{Path: path, Problem: fmt.Sprintf("has mode %04o: group or others can %s it", perm, what), Fix: fix}
	}
	return nil
}

// symlinkError refuses a symbolic link where a secret is kept.
func symlinkError(path string) error {
	return &PrivateError{Path: path, Problem: "is a symbolic link", Fix: "name the file itself, not a link to it"}
}
