package inbox

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"syscall"
)

// syncDir flushes the directory of root to stable storage, so that a new
// name survives a crash. Windows cannot sync directories, and some file
// systems reject it with EINVAL; both are treated as success.
func syncDir(root *os.Root) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := root.Open(".")
	if err != nil {
		return fmt.Errorf("inbox: sync directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("inbox: sync directory: %w", err)
	}
	return nil
}
