package keyring

import (
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"msn/proto/secret"
)

// TestRealSecretService stores, reads and deletes a ticket and a password
// in a real Secret Service. It runs only with MSN_KEYRING_IT=1, inside a
// throw-away D-Bus session with an unlocked gnome-keyring.
func TestRealSecretService(t *testing.T) {
	if os.Getenv("MSN_KEYRING_IT") != "1" {
		t.Skipf("set MSN_KEYRING_IT=1 to run against a real Secret Service: " +
			"MSN_KEYRING_IT=1 dbus-run-session -- sh -c 'printf %%s pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null && go test -run TestRealSecretService ./keyring'")
	}
	// The Secret Service client talks over godbus's shared session-bus
	// connection, which stays open for the life of the process; close it
	// so that the leak check after the tests finds none of its goroutines.
	t.Cleanup(func() {
		if conn, err := dbus.SessionBus(); err == nil {
			_ = conn.Close()
		}
	})
	s, err := Open(Config{Mode: ModeSystem, StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if s.Backend() != "system" {
		t.Fatalf("backend %q", s.Backend())
	}
	acct := fmt.Sprintf("it-%d@example.com", time.Now().UnixNano())
	t.Cleanup(func() { _ = s.Account(acct, testServer).Forget() })
	secretRoundTrip(t, s)

	tk := Ticket{Value: secret.New("t=abc!*$&p=def"), Issued: time.Now().UTC().Truncate(time.Second)}
	if err := s.Account(acct, testServer).SetTicket(tk); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Account(acct, testServer).Ticket(); err != nil || got.Value.Reveal() != tk.Value.Reveal() || !got.Issued.Equal(tk.Issued) {
		t.Fatalf("Ticket = %+v, %v", got, err)
	}
	if err := s.Account(acct, testServer).SetPassword(secret.New("pässwörd ,=%")); err != nil {
		t.Fatal(err)
	}
	if p, err := s.Account(acct, testServer).Password(); err != nil || p.Reveal() != "pässwörd ,=%" {
		t.Fatalf("Password: %v", err)
	}
	if err := s.Account(acct, testServer).Forget(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Account(acct, testServer).Ticket(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("ticket after Forget: %v", err)
	}
	if _, err := s.Account(acct, testServer).Password(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("password after Forget: %v", err)
	}
}
