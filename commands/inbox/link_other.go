//go:build !linux

package inbox

import "os"

// linkFallback returns linkErr: outside Linux there is no portable
// exclusive rename to fall back to.
func linkFallback(_ *os.Root, _, _ string, linkErr error) error {
	return linkErr
}
