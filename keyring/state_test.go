package keyring

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"msn/proto/secret"
)

func TestStateRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "msn")
	s, err := Open(Config{Mode: ModeNone, StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if st, err := s.State("a@example.com"); err != nil || st.Server != "" {
		t.Fatalf("absent: %+v %v", st, err)
	}
	want := State{Server: "127.0.0.1:1863", NSAddr: "127.0.0.1:1864", LoginURL: "https://127.0.0.1:4443/login",
		TicketReuse: "no", Presence: "BSY", ListVersion: 7, List: json.RawMessage(`{"fl":["bob@example.com"]}`)}
	if err := s.SaveState("A@Example.com", want); err != nil {
		t.Fatal(err)
	}
	got, err := s.State("a@example.com")
	if err != nil || got.Server != want.Server || got.ListVersion != 7 || string(got.List) != string(want.List) || got.Presence != "BSY" {
		t.Fatalf("got %+v %v", got, err)
	}
	if err := s.SetDefaultAccount("A@example.com"); err != nil {
		t.Fatal(err)
	}
	if d := s.DefaultAccount(); d != "a@example.com" {
		t.Fatalf("default = %q", d)
	}
	data, err := os.ReadFile(filepath.Join(dir, "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Default  string                     `json:"default"`
		Accounts map[string]json.RawMessage `json:"accounts"`
	}
	if err := json.Unmarshal(data, &raw); err != nil || raw.Default != "a@example.com" || raw.Accounts["a@example.com"] == nil {
		t.Fatalf("state.json = %s", data)
	}
	assertMode(t, filepath.Join(dir, "state.json"), 0o600)
	assertMode(t, dir, 0o700|os.ModeDir)
	assertOnly(t, dir, "state.json")

	if err := s.SaveState("a@example.com", State{List: json.RawMessage(`{`)}); err == nil {
		t.Fatal("invalid list accepted")
	}
	if err := s.Forget("a@example.com"); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.State("a@example.com"); st.Server != "" || s.DefaultAccount() != "" {
		t.Fatalf("after Forget: %+v default %q", st, s.DefaultAccount())
	}
}

func TestForgetRemovesSecrets(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(Config{Mode: ModeFile, StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	secretRoundTrip(t, s)
	if err := s.SetPassword("a@example.com", secret.New("pw")); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveState("a@example.com", State{Server: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Forget("A@EXAMPLE.COM"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Password("a@example.com"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("password after Forget: %v", err)
	}
}

func TestStateCorrupt(t *testing.T) {
	for _, content := range []string{"", "garbage", "null", `{"accounts": 5}`, `{"accounts":{"a@example.com":"x"}}`, `[`} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "state.json"), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(Config{Mode: ModeNone, StateDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if st, err := s.State("a@example.com"); err != nil || st.Server != "" {
			t.Fatalf("%q: %+v %v", content, st, err)
		}
		if s.DefaultAccount() != "" {
			t.Fatalf("%q: default", content)
		}
		if err := s.SaveState("a@example.com", State{Server: "s"}); err != nil {
			t.Fatal(err)
		}
		if st, _ := s.State("a@example.com"); st.Server != "s" {
			t.Fatalf("%q: not overwritten", content)
		}
	}
}

func TestFailedWriteLeavesNoTempFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "state.json"), 0o700); err != nil {
		t.Fatal(err)
	}
	s, err := Open(Config{Mode: ModeNone, StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveState("a@example.com", State{Server: "s"}); err == nil {
		t.Fatal("write over a directory succeeded")
	}
	assertOnly(t, dir, "state.json")
}

func TestConcurrentSaveState(t *testing.T) {
	dir := t.TempDir()
	shared, err := Open(Config{Mode: ModeNone, StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 10 {
				acct := fmt.Sprintf("user%d@example.com", g)
				if err := shared.SaveState(acct, State{Server: "s", ListVersion: i + 1}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for g := range 16 {
		st, err := shared.State(fmt.Sprintf("user%d@example.com", g))
		if err != nil || st.ListVersion != 10 {
			t.Fatalf("user%d: %+v %v", g, st, err)
		}
	}
	// Separate Stores behave like separate processes: last writer wins,
	// the file is never torn.
	for g := range 4 {
		wg.Go(func() {
			other, err := Open(Config{Mode: ModeNone, StateDir: dir})
			if err != nil {
				t.Error(err)
				return
			}
			for i := range 10 {
				if err := other.SaveState("shared@example.com", State{Server: fmt.Sprint(g), ListVersion: i + 1}); err != nil {
					t.Error(err)
				}
				if _, err := other.State("shared@example.com"); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	data, err := os.ReadFile(filepath.Join(dir, "state.json"))
	if err != nil || !json.Valid(data) {
		t.Fatalf("torn state file: %v", err)
	}
	if st, err := shared.State("shared@example.com"); err != nil || st.ListVersion != 10 {
		t.Fatalf("shared: %+v %v", st, err)
	}
	assertOnly(t, dir, "state.json")
}
