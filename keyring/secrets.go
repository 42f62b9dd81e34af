package keyring

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"msn/proto/secret"
)

// MaxEntry bounds a stored entry: every backend (Windows allows 2,560
// bytes, macOS about 3,000) accepts it.
const MaxEntry = 2000

// Ticket is a cached Passport ticket and the time it was issued.
type Ticket struct {
	Value  secret.String
	Issued time.Time
}

// storedTicket is the JSON form of a Ticket in the keyring.
type storedTicket struct {
	V      string    `json:"v"`
	Issued time.Time `json:"issued"`
}

// Ticket returns the cached ticket of account; ErrNotFound when there is
// none or the entry cannot be read.
func (s *Store) Ticket(account string) (Ticket, error) {
	v, err := s.getSecret(account, "ticket")
	if err != nil {
		return Ticket{}, err
	}
	var st storedTicket
	if len(v) >= MaxEntry || json.Unmarshal([]byte(v), &st) != nil || !printable(st.V) {
		return Ticket{}, ErrNotFound
	}
	return Ticket{Value: secret.New(st.V), Issued: st.Issued}, nil
}

// SetTicket saves the ticket of account. A stored entry of MaxEntry bytes
// or more is refused.
func (s *Store) SetTicket(account string, t Ticket) error {
	if t.Value.Empty() || !printable(t.Value.Reveal()) {
		return errors.New("keyring: empty or unprintable ticket")
	}
	b, err := json.Marshal(storedTicket{V: t.Value.Reveal(), Issued: t.Issued.UTC().Round(0)})
	if err != nil {
		return errors.New("keyring: cannot encode ticket")
	}
	if len(b) >= MaxEntry {
		return fmt.Errorf("%w: ticket entry is %d bytes (limit %d)", errTooLarge, len(b), MaxEntry)
	}
	return s.setSecret(account, "ticket", string(b))
}

// DeleteTicket removes the ticket of account; a missing one is not an error.
func (s *Store) DeleteTicket(account string) error {
	return s.deleteSecret(account, "ticket")
}

// Password returns the saved password of account; ErrNotFound when there
// is none or the entry cannot be read.
func (s *Store) Password(account string) (secret.String, error) {
	v, err := s.getSecret(account, "password")
	if err != nil {
		return secret.String{}, err
	}
	if v == "" || len(v) >= MaxEntry {
		return secret.String{}, ErrNotFound
	}
	return secret.New(v), nil
}

// SetPassword saves the password of account.
func (s *Store) SetPassword(account string, p secret.String) error {
	if p.Empty() {
		return errors.New("keyring: empty password")
	}
	if len(p.Reveal()) >= MaxEntry {
		return fmt.Errorf("%w: password longer than %d bytes", errTooLarge, MaxEntry-1)
	}
	return s.setSecret(account, "password", p.Reveal())
}

// DeletePassword removes the saved password of account; a missing one is
// not an error.
func (s *Store) DeletePassword(account string) error {
	return s.deleteSecret(account, "password")
}

// getSecret reads "<account>:<kind>".
func (s *Store) getSecret(account, kind string) (string, error) {
	k, err := accountKey(account)
	if err != nil {
		return "", err
	}
	return s.secrets.get(k + ":" + kind)
}

// setSecret writes "<account>:<kind>".
func (s *Store) setSecret(account, kind, v string) error {
	k, err := accountKey(account)
	if err != nil {
		return err
	}
	return s.secrets.set(k+":"+kind, v)
}

// deleteSecret removes "<account>:<kind>".
func (s *Store) deleteSecret(account, kind string) error {
	k, err := accountKey(account)
	if err != nil {
		return err
	}
	return s.secrets.delete(k + ":" + kind)
}

// printable reports whether v is non-empty printable ASCII without spaces.
func printable(v string) bool {
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] <= ' ' || v[i] >= 0x7f {
			return false
		}
	}
	return true
}
