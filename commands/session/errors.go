package session

import (
	"errors"
	"fmt"
	"time"

	"msn/commands/session/share"
)

// ErrNoPasswordSource reports that the login needs a password and
// nothing can supply one. A PasswordFunc returns it (wrapped) in that
// case, so that a refused cached ticket is not offered again.
var ErrNoPasswordSource = errors.New("no password source")

// LoginError is a login that failed.
type LoginError struct {
	Err error
	// SavedPassword reports that the password was read from the keyring
	// (so a refusal means the saved one is wrong).
	SavedPassword bool
}

// Error returns the message of the underlying error.
func (e *LoginError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *LoginError) Unwrap() error { return e.Err }

// StillOffline is the failure of a recipient who stayed offline for the
// whole of the wait for them to come online.
type StillOffline struct {
	Err  error
	Wait time.Duration
}

// Error says how long the wait was.
func (e *StillOffline) Error() string {
	return fmt.Sprintf("%v; not online within %s", e.Err, e.Wait)
}

// Unwrap returns the error of the last invitation.
func (e *StillOffline) Unwrap() error { return e.Err }

// ShareError is a shared session that exists but cannot be used: its
// holder speaks another socket protocol version, or the socket is
// another user's.
type ShareError struct {
	Err error
}

// Error says why.
func (e *ShareError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *ShareError) Unwrap() error { return e.Err }

// HeldError refuses a login of its own (a fresh ticket, a password to
// save) while another process holds the account's session: signing in
// again would end that session.
type HeldError struct {
	By share.HolderInfo
}

// Error names the holder.
func (e *HeldError) Error() string {
	return fmt.Sprintf("the session is held by msn %s (pid %d); signing in again would end it", e.By.Command, e.By.PID)
}
