package keyring

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// maxAccount bounds an account name.
const maxAccount = 256

// defaultStateDir returns $XDG_STATE_HOME/msn when XDG_STATE_HOME is an
// absolute path, else $HOME/.local/state/msn.
func defaultStateDir() (string, error) {
	if x := os.Getenv("XDG_STATE_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "msn"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return "", ErrNoStateDir
	}
	return filepath.Join(home, ".local", "state", "msn"), nil
}

// accountKey returns the lower-cased account name, refusing empty, long or
// control-character names.
func accountKey(account string) (string, error) {
	k := strings.ToLower(strings.TrimSpace(account))
	if k == "" || len(k) > maxAccount {
		return "", errors.New("keyring: bad account name")
	}
	for _, r := range k {
		if r < 0x20 || r == 0x7f {
			return "", errors.New("keyring: bad account name")
		}
	}
	return k, nil
}
