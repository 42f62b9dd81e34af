package keyring

import "errors"

// Sentinel errors returned by the package; test them with errors.Is.
var (
	// ErrNotFound reports a secret that is absent, or present but unreadable.
	ErrNotFound = errors.New("keyring: not found")
	// ErrUnavailable reports that the system keyring cannot be used.
	ErrUnavailable = errors.New("keyring: system keyring unavailable")
	// ErrInsecureFile reports a file or directory holding secrets that is
	// not private to the user: a symbolic link, not a regular file, owned
	// by someone else, or open to group or others (*PrivateError says
	// which).
	ErrInsecureFile = errors.New("keyring: secrets file or directory is not private to its owner")
	// ErrTimeout reports a system keyring call that did not answer in time.
	ErrTimeout = errors.New("keyring: system keyring timed out")
	// ErrNoStateDir is returned when neither XDG_STATE_HOME nor HOME
	// names a directory for the state file.
	ErrNoStateDir = errors.New("keyring: no state directory: set XDG_STATE_HOME or HOME")
)

// errTooLarge reports a secret too large to store in every keyring backend.
var errTooLarge = errors.New("keyring: secret too large to store")
