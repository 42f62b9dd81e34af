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

// ticket returns the cached ticket of a; ErrNotFound when there is none
// or the entry cannot be read.
func (s *Store) ticket(a Account) (Ticket, error) {
	v, err := a.secret("ticket")
	if err != nil {
		return Ticket{}, err
	}
	var st storedTicket
	if len(v) >= MaxEntry || json.Unmarshal([]byte(v), &st) != nil || !printable(st.V) {
		return Ticket{}, ErrNotFound
	}
	return Ticket{Value: secret.New(st.V), Issued: st.Issued}, nil
}

// setTicket saves the ticket of a. A stored entry of MaxEntry bytes or
// more is refused.
func (s *Store) setTicket(a Account, t Ticket) error {
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
	return a.setSecret("ticket", string(b))
}

// password returns the saved password of a; ErrNotFound when there is
// none or the entry cannot be read.
func (s *Store) password(a Account) (secret.String, error) {
	v, err := a.secret("password")
	if err != nil {
		return secret.String{}, err
	}
	if v == "" || len(v) >= MaxEntry {
		return secret.String{}, ErrNotFound
	}
	return secret.New(v), nil
}

// setPassword saves the password of a.
func (s *Store) setPassword(a Account, p secret.String) error {
	if p.Empty() {
		return errors.New("keyring: empty password")
	}
	if len(p.Reveal()) >= MaxEntry {
		return fmt.Errorf("%w: password longer than %d bytes", errTooLarge, MaxEntry-1)
	}
	return a.setSecret("password", p.Reveal())
}

// secretKey names the entry of kind for account k on server:
// "<account> <server>:<kind>", or "<account>:<kind>" for the secrets of
// the older layout, saved under the account alone.
func secretKey(k, server, kind string) string {
	if server == "" {
		return k + ":" + kind
	}
	return k + " " + server + ":" + kind
}

// getSecret reads the entry of kind for account k on server.
func (s *Store) getSecret(k, server, kind string) (string, error) {
	return s.secrets.get(secretKey(k, server, kind))
}

// setSecret writes the entry of kind for account k on server.
func (s *Store) setSecret(k, server, kind, v string) error {
	return s.secrets.set(secretKey(k, server, kind), v)
}

// deleteSecret removes the entry of kind for account k on server.
func (s *Store) deleteSecret(k, server, kind string) error {
	return s.secrets.delete(secretKey(k, server, kind))
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
