package keyring

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrFileTooLarge reports a file longer than the limit given to ReadFile.
var ErrFileTooLarge = errors.New("file too large")

// ReadFile reads at most limit bytes of the file at path, failing with an
// error that wraps ErrFileTooLarge when it is larger. It is the bounded
// reader of files that hold no secret: the state file here, and files
// named by flags (--ca-file) in commands; ReadPrivate reads the secrets
// file after checking it is private.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readBounded(f, path, limit, 0)
}

// readBounded reads at most limit bytes from f, the file at path, and
// fails with a tooLargeError when there is more. size, when known, is
// the file's size: the buffer is made that large at once (within limit).
func readBounded(f io.Reader, path string, limit, size int64) ([]byte, error) {
	buf := bytes.NewBuffer(make([]byte, 0, min(max(size, 0), limit)+bytes.MinRead))
	_, err := buf.ReadFrom(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	b := buf.Bytes()
	if int64(len(b)) > limit {
		return nil, &tooLargeError{path: path, limit: limit}
	}
	return b, nil
}

// tooLargeError names the file that was too large and the limit.
type tooLargeError struct {
	path  string
	limit int64
}

// Error says which file, and its limit.
func (e *tooLargeError) Error() string {
	return fmt.Sprintf("%s: larger than %d bytes", e.path, e.limit)
}

// Is matches ErrFileTooLarge.
func (e *tooLargeError) Is(target error) bool { return target == ErrFileTooLarge }
