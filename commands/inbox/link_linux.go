package inbox

import (
	"errors"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// linkFallback handles file systems without hard links (FAT, exFAT, some
// network file systems), where link(2) fails with EPERM or EOPNOTSUPP: it
// renames oldname to newname with renameat2(RENAME_NOREPLACE), which is just
// as exclusive. Both names must be single path elements. For any other
// error, or when the rename is not supported either, it returns linkErr.
func linkFallback(root *os.Root, oldname, newname string, linkErr error) error {
	if !errors.Is(linkErr, unix.EPERM) && !errors.Is(linkErr, unix.EOPNOTSUPP) {
		return linkErr
	}
	if strings.ContainsRune(oldname+newname, '/') {
		return linkErr
	}
	dir, err := root.Open(".")
	if err != nil {
		return linkErr
	}
	defer dir.Close()
	conn, err := dir.SyscallConn()
	if err != nil {
		return linkErr
	}
	var rerr error
	if err := conn.Control(func(fd uintptr) {
		rerr = unix.Renameat2(int(fd), oldname, int(fd), newname, unix.RENAME_NOREPLACE)
	}); err != nil {
		return linkErr
	}
	if errors.Is(rerr, unix.EINVAL) || errors.Is(rerr, unix.ENOSYS) {
		return linkErr
	}
	if rerr != nil {
		return &os.LinkError{Op: "renameat2", Old: oldname, New: newname, Err: rerr}
	}
	return nil
}
