//go:build unix

package share

import (
	"io/fs"
	"os"
	"syscall"
)

// ownedByOther reports whether fi belongs to another user.
func ownedByOther(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) != os.Getuid()
}
