package inbox

import "math"

// FreeSpace returns the number of bytes available to an unprivileged user in
// the file system holding dir, for rejecting offers larger than the free
// space before accepting them.
func FreeSpace(dir string) (int64, error) {
	return freeSpace(dir)
}

// mulCap returns blocks*size, or math.MaxInt64 if that overflows.
func mulCap(blocks, size uint64) int64 {
	if size != 0 && blocks > math.MaxInt64/size {
		return math.MaxInt64
	}
	return int64(blocks * size)
}
