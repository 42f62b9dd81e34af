package keyring

import "errors"

// Sentinel errors returned by the package; test them with errors.Is.
var (
	// ErrNotFound reports a secret that is absent, or present but unreadable.
	ErrNotFound = errors.New("keyring: not found")
	// ErrUnavailable reports that the system keyring cannot be used.
	ErrUnavailable = errors.New("keyring: system keyring unavailable")
	// ErrInsecureFile reports a secrets file that group or others may access.
	ErrInsecureFile = errors.New("keyring: secrets file is accessible by group or others")
	// ErrTimeout reports a system keyring call that did not answer in time.
	ErrTimeout = errors.New("keyring: system keyring timed out")
	// ErrNoStateDir is returned when neither XDG_STATE_HOME nor HOME
	// names a directory for the state file.
	ErrNoStateDir = errors.New("keyring: no state directory: set XDG_STATE_HOME or HOME")
)

// errTooLarge reports a secret too large to store in every keyring backend.
var errTooLarge = errors.New("keyring: secret too large to store")
