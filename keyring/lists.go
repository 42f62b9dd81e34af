package keyring

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// maxListFile bounds a contact list file.
const maxListFile = maxStateFile

// listPathIn returns the file of the contact list of the state key
// ("account server"): dir/lists/NAME.json, where NAME is the key with
// every byte but letters, digits, '@', '.' and '-' written %XX, so that
// each key has a file of its own on every system.
func listPathIn(dir, key string) string {
	const hex = "0123456789ABCDEF"
	var b []byte
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '@', c == '.', c == '-':
			b = append(b, c)
		default:
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return filepath.Join(dir, "lists", string(b)+".json")
}

// readList returns the contact list saved for key, or nil when there is
// none or it cannot be read (it is a cache: the next sync fetches the
// list whole, and saving it replaces the file).
func readList(dir, key string) []byte {
	b, err := cachedRead(&listFiles, listPathIn(dir, key), maxListFile, func(b []byte) ([]byte, error) { return b, nil })
	if err != nil {
		return nil
	}
	return b
}

// saveList writes the contact list of key to its file when it differs
// from the one saved; an empty list removes the file.
func saveList(dir, key string, data []byte) error {
	path := listPathIn(dir, key)
	if len(data) == 0 {
		return removeList(path)
	}
	if bytes.Equal(readList(dir, key), data) {
		return nil
	}
	if !json.Valid(data) {
		return errors.New("keyring: state list is not valid json")
	}
	if len(data) > maxListFile {
		return fmt.Errorf("%w: contact list larger than %d bytes", errTooLarge, maxListFile)
	}
	if err := cachedWrite(&listFiles, path, data, bytes.Clone(data)); err != nil {
		return fmt.Errorf("keyring: write contact list: %w", err)
	}
	return nil
}

// removeList removes a contact list file; a missing one is not an error.
func removeList(path string) error {
	listFiles.drop(path)
	err := os.Remove(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("keyring: remove contact list: %w", err)
	}
	return nil
}
