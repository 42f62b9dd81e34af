package keyring

import "msn/proto/secret"

// Account is the keyring of one account: its secrets and its state,
// with the address given once. Get one with Store.Account; it may be
// used from several goroutines.
type Account struct {
	store *Store
	email string
}

// Account returns the handle of the account email.
func (s *Store) Account(email string) Account { return Account{store: s, email: email} }

// Email returns the account's address as it was given.
func (a Account) Email() string { return a.email }

// Backend names where the secrets go: "system", "file" or "none".
func (a Account) Backend() string { return a.store.Backend() }

// Ticket returns the cached ticket; ErrNotFound when there is none or
// the entry cannot be read.
func (a Account) Ticket() (Ticket, error) { return a.store.Ticket(a.email) }

// SetTicket caches the ticket.
func (a Account) SetTicket(t Ticket) error { return a.store.SetTicket(a.email, t) }

// DeleteTicket removes the cached ticket; a missing one is not an error.
func (a Account) DeleteTicket() error { return a.store.DeleteTicket(a.email) }

// Password returns the saved password; ErrNotFound when there is none or
// the entry cannot be read.
func (a Account) Password() (secret.String, error) { return a.store.Password(a.email) }

// SetPassword saves the password.
func (a Account) SetPassword(p secret.String) error { return a.store.SetPassword(a.email, p) }

// State returns the state: the zero State when there is none.
func (a Account) State() (State, error) { return a.store.State(a.email) }

// SaveState replaces the state.
func (a Account) SaveState(st State) error { return a.store.SaveState(a.email, st) }

// Forget removes the ticket, the password and the state, and clears the
// default account if it was this one.
func (a Account) Forget() error { return a.store.Forget(a.email) }

// IsDefault reports whether this is the remembered default account.
func (a Account) IsDefault() bool {
	k, err := accountKey(a.email)
	return err == nil && a.store.DefaultAccount() == k
}

// MakeDefault remembers this account as the default.
func (a Account) MakeDefault() error { return a.store.SetDefaultAccount(a.email) }
