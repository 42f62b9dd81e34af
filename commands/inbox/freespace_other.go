//go:build !linux && !darwin && !freebsd && !windows

package inbox

import (
	"errors"
	"fmt"
)

// freeSpace is not implemented on this platform.
func freeSpace(dir string) (int64, error) {
	return 0, fmt.Errorf("inbox: free space of %s: %w", dir, errors.ErrUnsupported)
}
