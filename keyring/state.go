package keyring

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"
)

// maxStateFile bounds state.json (and each contact list file).
const maxStateFile = 32 << 20

// State is the non-secret cache of one account on one server.
type State struct {
	Server      string          `json:"server,omitempty"`       // the --server this state belongs to (dispatch or NS address)
	NSAddr      string          `json:"ns_addr,omitempty"`      // notification server reached after referrals
	LoginURL    string          `json:"login_url,omitempty"`    // Passport DALogin
	TicketReuse string          `json:"ticket_reuse,omitempty"` // "", "yes", "no"
	Presence    string          `json:"presence,omitempty"`     // msn status set
	ListVersion int             `json:"list_version,omitempty"`
	List        json.RawMessage `json:"list,omitempty"`
	// LegacySecrets marks a state moved from a file that kept one state
	// per account: the secrets saved under the account alone belong to
	// this server, and move to its key when first read.
	LegacySecrets bool `json:"legacy_secrets,omitempty"`
}

// stateFile is the content of state.json.
type stateFile struct {
	Default string `json:"default"`
	// Settings are what msn login recorded, by account.
	Settings map[string]Settings `json:"settings,omitempty"`
	// States are the caches, by "account server".
	States map[string]State `json:"states,omitempty"`
	// Legacy is the older layout, one state per account; it is moved to
	// States when read and never written.
	Legacy map[string]State `json:"accounts,omitempty"`
}

// stateKey returns the key of account's state on server.
func stateKey(account, server string) string { return account + " " + server }

// statePath returns $StateDir/state.json.
func (s *Store) statePath() string { return statePathIn(s.dir) }

// statePathIn returns dir/state.json.
func statePathIn(dir string) string { return filepath.Join(dir, "state.json") }

// loadState reads state.json: a missing file is empty, and an oversized
// or corrupt one is moved aside with a warning, then empty.
func (s *Store) loadState() (stateFile, error) {
	f, aside, err := readStateFile(s.dir)
	if aside != "" {
		s.warn(fmt.Sprintf("the state file was unreadable and has been moved to %s; logins and contact lists are cached afresh", aside))
	}
	return f, err
}

// readStateFile reads dir/state.json, moving an oversized or corrupt
// file aside and returning where it went. A file this process has read
// or written before is not read again unless another process replaced
// it.
func readStateFile(dir string) (stateFile, string, error) {
	f, bad, err := stateFileAt(dir)
	if !bad {
		return f, "", err
	}
	path := statePathIn(dir)
	stateFiles.drop(path)
	aside, err := moveAside(path)
	return f, aside, err
}

// decodeStateFile decodes a state file, moving states of the older
// layout to their server's key; ok is false when data is not one.
func decodeStateFile(data []byte) (f stateFile, ok bool) {
	if json.Unmarshal(data, &f) != nil {
		return stateFile{}, false
	}
	if f.Settings == nil {
		f.Settings = map[string]Settings{}
	}
	if f.States == nil {
		f.States = map[string]State{}
	}
	for account, st := range f.Legacy {
		if st.Server == "" {
			continue
		}
		if _, ok := f.States[stateKey(account, st.Server)]; !ok {
			st.LegacySecrets = true
			f.States[stateKey(account, st.Server)] = st
		}
	}
	f.Legacy = nil
	return f, true
}

// moveAside renames a state file that cannot be read to
// path.corrupt-TIMESTAMP, so that it is kept for a person to look at.
func moveAside(path string) (string, error) {
	aside := path + ".corrupt-" + time.Now().UTC().Format("20060102T150405Z")
	if err := os.Rename(path, aside); err != nil {
		return "", fmt.Errorf("keyring: move the unreadable state file aside: %w", err)
	}
	return aside, nil
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
	if err := cachedWrite(&stateFiles, s.statePath(), data, cloneStateFile(f)); err != nil {
		return fmt.Errorf("keyring: write state: %w", err)
	}
	return nil
}

// update applies fn to the state under the Store's lock and saves it when
// fn changed it. Other processes may write in between: the last writer
// wins, and the file is never torn.
func (s *Store) update(fn func(*stateFile)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.loadState()
	if err != nil {
		return err
	}
	before := cloneStateFile(f)
	fn(&f)
	if reflect.DeepEqual(before, f) {
		return nil
	}
	return s.saveState(f)
}

// view reads the state under the Store's lock.
func (s *Store) view() (stateFile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.loadState()
}

// state returns the state of account on server: the zero State when
// there is none. Its contact list comes from the list's own file, or,
// for a state written in the older layout, from the state file.
func (s *Store) state(account, server string) (State, error) {
	k, err := accountKey(account)
	if err != nil {
		return State{}, err
	}
	f, err := s.view()
	if err != nil {
		return State{}, err
	}
	key := stateKey(k, server)
	st, ok := f.States[key]
	if ok && len(st.List) == 0 {
		st.List = readList(s.dir, key)
	}
	return st, nil
}

// saveAccountState replaces the state of account on server. The contact
// list goes to its own file, written only when it changed; state.json is
// written only when the rest changed.
func (s *Store) saveAccountState(account, server string, st State) error {
	k, err := accountKey(account)
	if err != nil {
		return err
	}
	st.Server = server
	key := stateKey(k, server)
	s.mu.Lock()
	err = saveList(s.dir, key, st.List)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	st.List = nil
	return s.update(func(f *stateFile) { f.States[key] = st })
}

// forget removes the ticket, the password and the state of account on
// server.
func (s *Store) forget(account, server string) error {
	k, err := accountKey(account)
	if err != nil {
		return err
	}
	return errors.Join(
		s.deleteSecret(k, server, "ticket"),
		s.deleteSecret(k, server, "password"),
		s.update(func(f *stateFile) { delete(f.States, stateKey(k, server)) }),
		removeList(listPathIn(s.dir, stateKey(k, server))),
	)
}

// ForgetAccount removes everything saved for account, on every server:
// tickets, passwords, states and recorded settings, and clears the
// default account if it was this one. It returns what it removed:
// "ticket", "password", "state", "settings".
func (s *Store) ForgetAccount(account string) ([]string, error) {
	k, err := accountKey(account)
	if err != nil {
		return nil, err
	}
	f, err := s.view()
	if err != nil {
		return nil, err
	}
	found := map[string]bool{}
	servers := []string{""} // "": secrets saved under the account alone
	for key := range f.States {
		if a, server, ok := strings.Cut(key, " "); ok && a == k {
			servers = append(servers, server)
			found["state"] = true
		}
	}
	if _, ok := f.Settings[k]; ok {
		found["settings"] = true
	}
	var errs []error
	for _, server := range servers {
		for _, kind := range []string{"ticket", "password"} {
			if _, err := s.getSecret(k, server, kind); err == nil {
				found[kind] = true
			}
			errs = append(errs, s.deleteSecret(k, server, kind))
		}
	}
	for _, server := range servers[1:] {
		errs = append(errs, removeList(listPathIn(s.dir, stateKey(k, server))))
	}
	errs = append(errs, s.update(func(f *stateFile) {
		for key := range f.States {
			if a, _, ok := strings.Cut(key, " "); ok && a == k {
				delete(f.States, key)
			}
		}
		delete(f.Settings, k)
		if f.Default == k {
			f.Default = ""
		}
	}))
	var removed []string
	for _, what := range []string{"ticket", "password", "state", "settings"} {
		if found[what] {
			removed = append(removed, what)
		}
	}
	return removed, errors.Join(errs...)
}

// DefaultAccount returns the remembered default account, or "".
func (s *Store) DefaultAccount() string {
	f, err := s.view()
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
