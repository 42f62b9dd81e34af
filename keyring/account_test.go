package keyring

import (
	"errors"
	"testing"
	"time"

	"msn/proto/secret"
)

func TestAccountHandle(t *testing.T) {
	s, err := Open(Config{Mode: ModeFile, StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	a := s.Account("Alice@Example.com", testServer)
	if err := a.SetPassword(secret.New("pw")); err != nil {
		t.Fatal(err)
	}
	if err := a.SetTicket(Ticket{Value: secret.New("t=1"), Issued: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := a.SaveState(State{ListVersion: 2}); err != nil {
		t.Fatal(err)
	}
	if err := a.MakeDefault(); err != nil {
		t.Fatal(err)
	}
	// The handle and the store name the same entries.
	if p, err := s.Account("alice@example.com", testServer).Password(); err != nil || p.Reveal() != "pw" {
		t.Fatalf("password through the store: %v", err)
	}
	if st, err := a.State(); err != nil || st.Server != testServer || st.ListVersion != 2 {
		t.Fatalf("state = %+v, %v", st, err)
	}
	if !a.IsDefault() || a.Backend() != "file" {
		t.Fatalf("default %v, backend %q", a.IsDefault(), a.Backend())
	}
	if err := a.Forget(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Ticket(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("ticket after Forget: %v", err)
	}
	if _, err := a.Password(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("password after Forget: %v", err)
	}
	if !a.IsDefault() {
		t.Fatal("Forget of one server's entries forgot the default account")
	}
}
