package keyring

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestPeek checks that a Snapshot lists the accounts the state file
// knows and their states, the asked server's first.
func TestPeek(t *testing.T) {
	dir := t.TempDir()
	if got := Peek(dir).Accounts(); len(got) != 0 {
		t.Errorf("accounts of no state file = %q", got)
	}
	s, err := Open(Config{Mode: ModeNone, StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	alice := s.Account("Alice@example.com", "a.example:1863")
	for _, err := range []error{
		alice.SaveState(State{Presence: "busy"}),
		s.Account("alice@example.com", "b.example:1863").SaveState(State{Presence: "away"}),
		alice.MakeDefault(),
		s.SaveSettings("carol@example.com", Settings{Server: "c.example:1863"}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	snap := Peek(dir)
	if got, want := snap.Accounts(), []string{"alice@example.com", "carol@example.com"}; !slices.Equal(got, want) {
		t.Errorf("accounts = %q, want %q", got, want)
	}
	if snap.Default() != "alice@example.com" {
		t.Errorf("default = %q", snap.Default())
	}
	if got := snap.Settings("CAROL@example.com").Server; got != "c.example:1863" {
		t.Errorf("carol's server = %q", got)
	}
	for server, first := range map[string]string{"b.example:1863": "away", "a.example:1863": "busy", "z.example:1863": "busy"} {
		states := snap.States("alice@example.com", server)
		if len(states) != 2 || states[0].Presence != first {
			t.Errorf("states on %s = %+v, want %s first", server, states, first)
		}
	}
}

// TestPeekLeavesABadFileAlone checks that Peek neither moves aside nor
// rewrites a state file it cannot read.
func TestPeekLeavesABadFileAlone(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := Peek(dir).Accounts(); len(got) != 0 {
		t.Errorf("accounts of a corrupt file = %q", got)
	}
	data, err := os.ReadFile(path)
	if err != nil || string(data) != "{not json" {
		t.Errorf("the state file is now %q, %v", data, err)
	}
}
