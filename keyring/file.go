package keyring

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// maxSecretsFile bounds secrets.json.
const maxSecretsFile = 1 << 20

// fileBackend keeps secrets in a 0600 JSON object {"<user>": "<value>"}.
// It refuses a file that group or others can access, or that is not a
// regular file; a file that does not parse counts as empty.
type fileBackend struct {
	path string
	mu   sync.Mutex
}

// openFile returns the backend for dir/secrets.json after checking an
// existing file's permissions.
func openFile(dir string) (*fileBackend, error) {
	b := &fileBackend{path: filepath.Join(dir, "secrets.json")}
	if err := b.check(); err != nil {
		return nil, err
	}
	return b, nil
}

// check refuses an insecure secrets file; a missing one is fine.
func (b *fileBackend) check() error {
	fi, err := os.Lstat(b.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("keyring: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%w: %s is not a regular file", ErrInsecureFile, b.path)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("%w: %s has mode %04o (run: chmod 600 %s)", ErrInsecureFile, b.path, fi.Mode().Perm(), b.path)
	}
	return nil
}

// load reads the entries; a missing or unreadable-as-JSON file is empty.
func (b *fileBackend) load() (map[string]string, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	data, err := ReadFile(b.path, maxSecretsFile)
	m := map[string]string{}
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, ErrFileTooLarge):
		return m, nil
	case err != nil:
		return nil, fmt.Errorf("keyring: %w", err)
	}
	if json.Unmarshal(data, &m) != nil || m == nil {
		return map[string]string{}, nil
	}
	return m, nil
}

func (b *fileBackend) get(user string) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	m, err := b.load()
	if err != nil {
		return "", err
	}
	v, ok := m[user]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

func (b *fileBackend) set(user, value string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	m, err := b.load()
	if err != nil {
		return err
	}
	m[user] = value
	return b.save(m)
}

func (b *fileBackend) delete(user string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	m, err := b.load()
	if err != nil {
		return err
	}
	if _, ok := m[user]; !ok {
		return nil
	}
	delete(m, user)
	return b.save(m)
}

// save writes m atomically.
func (b *fileBackend) save(m map[string]string) error {
	data, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("keyring: encode secrets: %w", err)
	}
	if len(data) > maxSecretsFile {
		return errTooLarge
	}
	if err := writeFileAtomic(b.path, data); err != nil {
		return fmt.Errorf("keyring: write secrets: %w", err)
	}
	return nil
}
