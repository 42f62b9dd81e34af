package keyring

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"
)

// maxSecretsFile bounds secrets.json.
const maxSecretsFile = 1 << 20

// fileBackend keeps secrets in a 0600 JSON object {"<user>": "<value>"}.
// It refuses a secrets file that is a symbolic link, not a regular file,
// owned by another user or open to group or others, and a state
// directory that is a symbolic link, owned by another user or writable
// by group or others; a file that does not parse counts as empty.
type fileBackend struct {
	dir  string
	path string
	mu   sync.Mutex
}

// openFile returns the backend for dir/secrets.json after checking the
// directory and an existing file.
func openFile(dir string) (*fileBackend, error) {
	b := &fileBackend{dir: dir, path: filepath.Join(dir, "secrets.json")}
	if _, err := b.load(); err != nil {
		return nil, err
	}
	return b, nil
}

// checkDir refuses an insecure state directory; a missing one is fine.
func (b *fileBackend) checkDir() error {
	if err := CheckPrivateDir(b.dir); err != nil {
		return insecure(err)
	}
	return nil
}

// insecure words a refusal from CheckPrivateDir or OpenPrivate for the
// keyring, with the repair when there is one.
func insecure(err error) error {
	var pe *PrivateError
	if !errors.As(err, &pe) {
		return fmt.Errorf("keyring: %w", err)
	}
	if pe.Fix != "" {
		return fmt.Errorf("keyring: %w (%s)", err, pe.Fix)
	}
	return fmt.Errorf("keyring: %w", err)
}

// load reads the entries; a missing or unreadable-as-JSON file is empty.
// The file is checked on the descriptor it is read from.
func (b *fileBackend) load() (map[string]string, error) {
	if err := b.checkDir(); err != nil {
		return nil, err
	}
	data, err := ReadPrivate(b.path, maxSecretsFile)
	m := map[string]string{}
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, ErrFileTooLarge):
		return m, nil
	case err != nil:
		return nil, insecure(err)
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
	if err := b.checkDir(); err != nil {
		return err
	}
	if err := writeFileAtomic(b.path, data); err != nil {
		return fmt.Errorf("keyring: write secrets: %w", err)
	}
	return nil
}
