package keyring

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
)

// maxStateFile bounds state.json (contact lists included).
const maxStateFile = 32 << 20

// State is the non-secret cache of one account.
type State struct {
	Server      string          `json:"server,omitempty"`       // the --server this state belongs to (dispatch or NS address)
	NSAddr      string          `json:"ns_addr,omitempty"`      // notification server reached after referrals
	LoginURL    string          `json:"login_url,omitempty"`    // Passport DALogin
	TicketReuse string          `json:"ticket_reuse,omitempty"` // "", "yes", "no"
	Presence    string          `json:"presence,omitempty"`     // msn status set
	ListVersion int             `json:"list_version,omitempty"`
	List        json.RawMessage `json:"list,omitempty"`
}

// stateFile is the content of state.json.
type stateFile struct {
	Default  string           `json:"default"`
	Accounts map[string]State `json:"accounts"`
}

// statePath returns $StateDir/state.json.
func (s *Store) statePath() string { return filepath.Join(s.dir, "state.json") }

// loadState reads state.json; a missing, oversized or corrupt file is empty.
func (s *Store) loadState() (stateFile, error) {
	empty := stateFile{Accounts: map[string]State{}}
	data, err := ReadFile(s.statePath(), maxStateFile)
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, ErrFileTooLarge):
		return empty, nil
	case err != nil:
		return empty, fmt.Errorf("keyring: read state: %w", err)
	}
	var f stateFile
	if json.Unmarshal(data, &f) != nil {
		return empty, nil
	}
	if f.Accounts == nil {
		f.Accounts = map[string]State{}
	}
	return f, nil
}

// saveState writes state.json atomically (0600, directory 0700).
func (s *Store) saveState(f stateFile) error {
	data, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("keyring: encode state: %w", err)
	}
	if len(data) > maxStateFile {
		return fmt.Errorf("%w: state larger than %d bytes", errTooLarge, maxStateFile)
	}
	if err := writeFileAtomic(s.statePath(), data); err != nil {
		return fmt.Errorf("keyring: write state: %w", err)
	}
	return nil
}

// update applies fn to the state under the Store's lock and saves it.
// Other processes may write in between: the last writer wins, and the file
// is never torn.
func (s *Store) update(fn func(*stateFile)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.loadState()
	if err != nil {
		return err
	}
	fn(&f)
	return s.saveState(f)
}

// State returns the state of account: the zero State when there is none
// or the file is corrupt.
func (s *Store) State(account string) (State, error) {
	k, err := accountKey(account)
	if err != nil {
		return State{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.loadState()
	if err != nil {
		return State{}, err
	}
	return f.Accounts[k], nil
}

// SaveState replaces the state of account.
func (s *Store) SaveState(account string, st State) error {
	k, err := accountKey(account)
	if err != nil {
		return err
	}
	if len(st.List) > 0 && !json.Valid(st.List) {
		return errors.New("keyring: state list is not valid json")
	}
	return s.update(func(f *stateFile) { f.Accounts[k] = st })
}

// Forget removes the ticket, the password and the state of account, and
// clears the default account if it was this one.
func (s *Store) Forget(account string) error {
	k, err := accountKey(account)
	if err != nil {
		return err
	}
	return errors.Join(
		s.DeleteTicket(k),
		s.DeletePassword(k),
		s.update(func(f *stateFile) {
			delete(f.Accounts, k)
			if f.Default == k {
				f.Default = ""
			}
		}),
	)
}

// DefaultAccount returns the remembered default account, or "".
func (s *Store) DefaultAccount() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.loadState()
	if err != nil {
		return ""
	}
	return f.Default
}

// SetDefaultAccount remembers a as the default account; "" forgets it.
func (s *Store) SetDefaultAccount(a string) error {
	k := ""
	if a != "" {
		var err error
		if k, err = accountKey(a); err != nil {
			return err
		}
	}
	return s.update(func(f *stateFile) { f.Default = k })
}
