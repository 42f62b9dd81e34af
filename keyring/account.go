package keyring

import (
	"errors"

	"msn/proto/secret"
)

// Account is the keyring of one account on one server: its secrets and
// its state, with the address and the server given once. A ticket or a
// password saved for one server is never offered to another. Get one
// with Store.Account; it may be used from several goroutines.
type Account struct {
	store  *Store
	email  string
	server string
}

// Account returns the handle of the account email on server (the
// --server address).
func (s *Store) Account(email, server string) Account {
	return Account{store: s, email: email, server: server}
}

// Email returns the account's address as it was given.
func (a Account) Email() string { return a.email }

// Server returns the server the handle is for.
func (a Account) Server() string { return a.server }

// Backend names where the secrets go: "system", "file" or "none".
func (a Account) Backend() string { return a.store.Backend() }

// Ticket returns the cached ticket; ErrNotFound when there is none or
// the entry cannot be read.
func (a Account) Ticket() (Ticket, error) { return a.store.ticket(a) }

// SetTicket caches the ticket.
func (a Account) SetTicket(t Ticket) error { return a.store.setTicket(a, t) }

// DeleteTicket removes the cached ticket; a missing one is not an error.
func (a Account) DeleteTicket() error { return a.deleteSecret("ticket") }

// Password returns the saved password; ErrNotFound when there is none or
// the entry cannot be read.
func (a Account) Password() (secret.String, error) { return a.store.password(a) }

// SetPassword saves the password.
func (a Account) SetPassword(p secret.String) error { return a.store.setPassword(a, p) }

// DeletePassword removes the saved password; a missing one is not an
// error.
func (a Account) DeletePassword() error { return a.deleteSecret("password") }

// State returns the state: the zero State when there is none.
func (a Account) State() (State, error) { return a.store.state(a.email, a.server) }

// SaveState replaces the state.
func (a Account) SaveState(st State) error { return a.store.saveAccountState(a.email, a.server, st) }

// Forget removes the ticket, the password and the state.
func (a Account) Forget() error { return a.store.forget(a.email, a.server) }

// SaveSettings records what msn login used for the account.
func (a Account) SaveSettings(st Settings) error { return a.store.SaveSettings(a.email, st) }

// IsDefault reports whether this is the remembered default account.
func (a Account) IsDefault() bool {
	k, err := accountKey(a.email)
	return err == nil && a.store.DefaultAccount() == k
}

// MakeDefault remembers this account as the default.
func (a Account) MakeDefault() error { return a.store.SetDefaultAccount(a.email) }

// secret reads the entry of kind. An entry of the older layout, saved
// under the account alone, is used only when the state file says it was
// saved for this server; it then moves to this server's key.
func (a Account) secret(kind string) (string, error) {
	k, err := accountKey(a.email)
	if err != nil {
		return "", err
	}
	v, err := a.store.getSecret(k, a.server, kind)
	if !errors.Is(err, ErrNotFound) {
		return v, err
	}
	st, serr := a.State()
	if serr != nil || !st.LegacySecrets {
		return "", err
	}
	v, lerr := a.store.getSecret(k, "", kind)
	if lerr != nil {
		return "", lerr
	}
	if a.store.setSecret(k, a.server, kind, v) == nil {
		_ = a.store.deleteSecret(k, "", kind)
	}
	return v, nil
}

// setSecret writes the entry of kind.
func (a Account) setSecret(kind, v string) error {
	k, err := accountKey(a.email)
	if err != nil {
		return err
	}
	return a.store.setSecret(k, a.server, kind, v)
}

// deleteSecret removes the entry of kind; a missing one is not an error.
func (a Account) deleteSecret(kind string) error {
	k, err := accountKey(a.email)
	if err != nil {
		return err
	}
	return a.store.deleteSecret(k, a.server, kind)
}
