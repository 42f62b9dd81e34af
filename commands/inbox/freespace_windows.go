package inbox

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// freeSpace uses GetDiskFreeSpaceEx, which accounts for the caller's quota.
func freeSpace(dir string) (int64, error) {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, fmt.Errorf("inbox: free space of %s: %w", dir, err)
	}
	var avail, total, free uint64
	if err := windows.GetDiskFreeSpaceEx(p, &avail, &total, &free); err != nil {
		return 0, fmt.Errorf("inbox: free space of %s: %w", dir, err)
	}
	return mulCap(avail, 1), nil
}
