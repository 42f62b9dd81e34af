package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Account is one user of the local world.
type Account struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	// Name is the friendly name; empty means the local part of Email.
	Name string `json:"name,omitempty"`
	// Contacts are the e-mail addresses put on this account's forward and
	// allow lists when the server starts (and on their reverse lists).
	Contacts []string `json:"contacts,omitempty"`
	// PassportOnly marks an account without an MD5 password: MSNP7 logins
	// are refused at the "USR MD5 I" stage.
	PassportOnly bool `json:"passport_only,omitempty"`
}

// maxAccountsFile bounds what LoadAccounts reads.
const maxAccountsFile = 4 << 20

// LoadAccounts reads a JSON array of accounts
// ([{"email": ..., "password": ..., "name": ...}, ...]).
func LoadAccounts(r io.Reader) ([]Account, error) {
	var accts []Account
	dec := json.NewDecoder(io.LimitReader(r, maxAccountsFile))
	if err := dec.Decode(&accts); err != nil {
		return nil, fmt.Errorf("server: accounts: %w", err)
	}
	for i := range accts {
		if err := accts[i].check(); err != nil {
			return nil, err
		}
	}
	return accts, nil
}

// DemoAccounts returns alice@example.com (alicepass, "Alice") and
// bob@example.com (bobpass, "Bob"), who have each other as contacts, and
// carol@example.com (carolpass), a Passport-only account with no contacts.
func DemoAccounts() []Account {
	return []Account{
		{Email: "alice@example.com", Password: "alicepass", Name: "Alice", Contacts: []string{"bob@example.com"}},
		{Email: "bob@example.com", Password: "bobpass", Name: "Bob", Contacts: []string{"alice@example.com"}},
		{Email: "carol@example.com", Password: "carolpass", PassportOnly: true},
	}
}

// check validates a and fills in defaults.
func (a *Account) check() error {
	a.Email = strings.ToLower(a.Email)
	if !validHandle(a.Email) {
		return errors.New("server: invalid account e-mail address")
	}
	if a.Password == "" || strings.ContainsAny(a.Password, "\r\n") {
		return fmt.Errorf("server: account %s: invalid password", a.Email)
	}
	if a.Name == "" {
		a.Name, _, _ = strings.Cut(a.Email, "@")
	}
	if !validName(a.Name) {
		return fmt.Errorf("server: account %s: invalid name", a.Email)
	}
	for i, c := range a.Contacts {
		a.Contacts[i] = strings.ToLower(c)
		if !validHandle(a.Contacts[i]) {
			return fmt.Errorf("server: account %s: invalid contact", a.Email)
		}
	}
	return nil
}

// AddAccount adds an account to a running or not yet started server and links
// its contacts that already exist.
func (s *Server) AddAccount(a Account) error {
	a.Contacts = append([]string(nil), a.Contacts...)
	if err := a.check(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[a.Email]; ok {
		return fmt.Errorf("server: account %s already exists", a.Email)
	}
	u := s.newUser(a)
	for _, c := range a.Contacts {
		if o := s.users[c]; o != nil {
			linkContacts(u, o)
		}
	}
	return nil
}

// newUser creates the in-memory user for a; the caller holds s.mu.
func (s *Server) newUser(a Account) *user {
	u := &user{
		email:        a.Email,
		password:     a.Password,
		salt:         randHex(8)[:15],
		passportOnly: a.PassportOnly,
		name:         a.Name,
		ver:          1,
		gtc:          "A",
		blp:          "AL",
		groups:       map[int]string{0: "Other Contacts"},
		entries:      map[string]*entry{},
		props:        map[string]string{},
	}
	s.users[a.Email] = u
	return u
}

// linkContacts puts o on u's forward and allow lists (and u on o's reverse
// list) without changing either list version.
func linkContacts(u, o *user) {
	if u == o {
		return
	}
	e := u.entry(o.email)
	if e.lists&listFL == 0 {
		e.groups = []int{0}
	}
	e.lists |= listFL | listAL
	e.name = o.name
	r := o.entry(u.email)
	r.lists |= listRL
	r.name = u.name
}
