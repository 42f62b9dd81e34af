package inbox

import (
	"errors"
	"io/fs"
	"os"
)

// linkExclusive gives the file oldname in root the second name newname,
// failing with an error that matches [fs.ErrExist] if newname exists as
// anything, even a dangling symbolic link. Symbolic links are never followed.
func linkExclusive(root *os.Root, oldname, newname string) error {
	err := root.Link(oldname, newname)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	return linkFallback(root, oldname, newname, err)
}
