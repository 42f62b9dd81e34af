//go:build darwin || freebsd

package inbox

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// freeSpace uses statfs(2): available blocks times the block size.
func freeSpace(dir string) (int64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, fmt.Errorf("inbox: free space of %s: %w", dir, err)
	}
	avail := int64(st.Bavail) // signed on FreeBSD, negative inside the reserve
	if avail < 0 {
		return 0, nil
	}
	return mulCap(uint64(avail), uint64(st.Bsize)), nil
}
