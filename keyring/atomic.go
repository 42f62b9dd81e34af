package keyring

import (
	"os"
	"path/filepath"
)

// writeFileAtomic replaces path with data, mode 0600: it writes a temporary
// file in the same directory (created 0700 if missing), syncs it, renames
// it over path and syncs the directory. Readers see the old or the new
// content, never a mix; on error the temporary file is removed.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	closed := false
	defer func() {
		if err != nil {
			if !closed {
				_ = f.Close()
			}
			_ = os.Remove(tmp)
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	fileOps.syncs.Add(1)
	if err = f.Sync(); err != nil {
		return err
	}
	closed = true
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	fileOps.writes.Add(1)
	syncDir(dir)
	return nil
}

// syncDir flushes a directory entry change; failures are ignored because
// some systems cannot sync directories.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	fileOps.syncs.Add(1)
	_ = d.Sync()
	_ = d.Close()
}
