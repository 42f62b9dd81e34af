// Package keyring keeps the toolkit's secrets (a saved password, the last
// Passport ticket) and its non-secret per-account state.
//
// Secrets go to the system keyring (Secret Service, macOS Keychain,
// Windows Credential Manager, through go-keyring) with a timeout on every
// call, or, when asked for, to a 0600 file; nothing is ever written in
// plain text without that explicit choice. The state (server address,
// Passport URL, the contact list's version) goes to a 0600 JSON file in
// the XDG state directory, and each contact list to a 0600 file of its
// own beside it; each file is read once per process and written only
// when it changed.
package keyring

import (
	"fmt"
	"sync"
	"time"
)

// Mode selects where secrets are kept.
type Mode string

// The modes accepted by Open.
const (
	// ModeAuto uses the system keyring when one answers, else saves no secrets.
	ModeAuto Mode = "auto"
	// ModeSystem requires the system keyring.
	ModeSystem Mode = "system"
	// ModeFile keeps secrets in $StateDir/secrets.json (0600).
	ModeFile Mode = "file"
	// ModeNone saves no secrets.
	ModeNone Mode = "none"
)

// DefaultTimeout bounds every system keyring call.
const DefaultTimeout = 3 * time.Second

// Config configures Open.
type Config struct {
	// Mode is ModeAuto when empty.
	Mode Mode
	// StateDir holds state.json (and secrets.json in file mode); empty
	// means $XDG_STATE_HOME/msn, else ~/.local/state/msn.
	StateDir string
	// Timeout bounds each system keyring call; zero means DefaultTimeout.
	Timeout time.Duration
	// Warn receives a line to show the user about the state file (one
	// moved aside because it could not be read); nil drops it.
	Warn func(string)

	// provider replaces go-keyring (tests).
	provider provider
	// busCheck replaces the session bus check (tests).
	busCheck func() bool
}

// Store gives access to the secrets and the state of every account. Its
// methods may be called from several goroutines.
type Store struct {
	dir     string
	backend string
	warning string
	secrets secretBackend
	warnf   func(string)
	mu      sync.Mutex // serialises read-modify-write of state.json
}

// warn passes a line to Config.Warn, when there is one.
func (s *Store) warn(msg string) {
	if s.warnf != nil {
		s.warnf(msg)
	}
}

// Open returns a Store for cfg. In auto and system mode the system keyring
// is used only when a session bus exists (on Linux and the BSDs) and a
// probe answers within the timeout; otherwise auto mode saves no secrets
// and sets Warning, and system mode fails with ErrUnavailable. File mode
// refuses (ErrInsecureFile) a secrets file that is a symbolic link, not
// a regular file, owned by another user or open to group or others, and
// a state directory that is a symbolic link, owned by another user or
// writable by group or others; it checks again at every read and write.
func Open(cfg Config) (*Store, error) {
	dir := cfg.StateDir
	if dir == "" {
		d, err := defaultStateDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	s := &Store{dir: dir, warnf: cfg.Warn}
	switch cfg.Mode {
	case ModeNone:
		s.backend, s.secrets = "none", noneBackend{}
	case ModeFile:
		fb, err := openFile(dir)
		if err != nil {
			return nil, err
		}
		s.backend, s.secrets = "file", fb
	case ModeSystem, ModeAuto, "":
		sb, reason, err := openSystem(cfg, timeout)
		switch {
		case err == nil:
			s.backend, s.secrets = "system", sb
		case cfg.Mode == ModeSystem:
			return nil, err
		default:
			s.backend, s.secrets = "none", noneBackend{}
			s.warning = "no system keyring (" + reason + "): secrets are not saved (use --keyring file to opt in)"
		}
	default:
		return nil, fmt.Errorf("keyring: unknown mode %q (want auto, system, file or none)", cfg.Mode)
	}
	return s, nil
}

// Backend names where secrets go: "system", "file" or "none".
func (s *Store) Backend() string { return s.backend }

// Warning returns a line to show the user once, or "" when there is
// nothing to say.
func (s *Store) Warning() string { return s.warning }

// Dir returns the state directory.
func (s *Store) Dir() string { return s.dir }
