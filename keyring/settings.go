package keyring

import (
	"fmt"
)

// Settings are what msn login recorded for an account: where it signed
// in and how secrets are kept. Later commands for the account use them
// unless a flag or an environment variable says otherwise.
type Settings struct {
	Server   string `json:"server,omitempty"`
	Nexus    string `json:"nexus,omitempty"`
	CAFile   string `json:"ca_file,omitempty"` // absolute
	Protocol string `json:"protocol,omitempty"`
	Keyring  Mode   `json:"keyring,omitempty"`
}

// Recorded returns the settings recorded for account, or, when account
// is empty, for the default account, and that account's address ("" when
// there is no default). It reads the state file of stateDir (empty: the
// default directory) and needs no keyring, so that the recorded keyring
// mode can choose how the store is opened. An unreadable state file is
// left for Open to move aside. On error, account is returned as given.
func Recorded(stateDir, account string) (Settings, string, error) {
	if stateDir == "" {
		d, err := defaultStateDir()
		if err != nil {
			return Settings{}, account, err
		}
		stateDir = d
	}
	f, aside, err := peekStateFile(stateDir)
	if err != nil || aside {
		return Settings{}, account, nil
	}
	k := f.Default
	if account != "" {
		if k, err = accountKey(account); err != nil {
			return Settings{}, account, nil
		}
	} else {
		account = f.Default
	}
	return f.Settings[k], account, nil
}

// peekStateFile reads the state file without moving a bad one aside;
// aside reports that it is unreadable.
func peekStateFile(dir string) (stateFile, bool, error) {
	f, bad, err := stateFileAt(dir)
	if err != nil {
		return stateFile{}, false, nil
	}
	return f, bad, nil
}

// SaveSettings records the settings of account.
func (s *Store) SaveSettings(account string, st Settings) error {
	k, err := accountKey(account)
	if err != nil {
		return err
	}
	if err := s.update(func(f *stateFile) { f.Settings[k] = st }); err != nil {
		return fmt.Errorf("keyring: record settings: %w", err)
	}
	return nil
}
