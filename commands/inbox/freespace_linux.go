package inbox

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// freeSpace uses statfs(2): available blocks times the fragment size.
func freeSpace(dir string) (int64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, fmt.Errorf("inbox: free space of %s: %w", dir, err)
	}
	size := st.Frsize
	if size <= 0 {
		size = int64(st.Bsize)
	}
	return mulCap(uint64(st.Bavail), uint64(size)), nil
}
