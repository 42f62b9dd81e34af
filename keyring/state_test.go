package keyring

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"msn/proto/secret"
)

func TestStateRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "msn")
	s, err := Open(Config{Mode: ModeNone, StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if st, err := s.Account("a@example.com", testServer).State(); err != nil || st.Server != "" {
		t.Fatalf("absent: %+v %v", st, err)
	}
	want := State{Server: testServer, NSAddr: "127.0.0.1:1864", LoginURL: "https://127.0.0.1:4443/login",
		TicketReuse: "no", Presence: "BSY", ListVersion: 7, List: json.RawMessage(`{"fl":["bob@example.com"]}`)}
	if err := s.Account("A@Example.com", testServer).SaveState(want); err != nil {
		t.Fatal(err)
	}
	got, err := s.Account("a@example.com", testServer).State()
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
		Default string                     `json:"default"`
		States  map[string]json.RawMessage `json:"states"`
	}
	if err := json.Unmarshal(data, &raw); err != nil || raw.Default != "a@example.com" || raw.States["a@example.com "+testServer] == nil {
		t.Fatalf("state.json = %s", data)
	}
	if strings.Contains(string(data), "bob@example.com") {
		t.Fatalf("the contact list is in state.json: %s", data)
	}
	listFile := filepath.Join(dir, "lists", "a@example.com%20"+strings.ReplaceAll(testServer, ":", "%3A")+".json")
	if b, err := os.ReadFile(listFile); err != nil || string(b) != string(want.List) {
		t.Fatalf("list file: %q %v", b, err)
	}
	assertMode(t, filepath.Join(dir, "state.json"), 0o600)
	assertMode(t, listFile, 0o600)
	assertMode(t, dir, 0o700|os.ModeDir)
	assertMode(t, filepath.Join(dir, "lists"), 0o700|os.ModeDir)
	assertOnly(t, dir, "state.json", "lists")

	if err := s.Account("a@example.com", testServer).SaveState(State{List: json.RawMessage(`{`)}); err == nil {
		t.Fatal("invalid list accepted")
	}
	if err := s.Account("a@example.com", testServer).Forget(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(listFile); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the list file is left after Forget: %v", err)
	}
	if st, _ := s.Account("a@example.com", testServer).State(); st.Server != "" || s.DefaultAccount() != "a@example.com" {
		t.Fatalf("after Forget: %+v default %q", st, s.DefaultAccount())
	}
	if _, err := s.ForgetAccount("a@example.com"); err != nil || s.DefaultAccount() != "" {
		t.Fatalf("after ForgetAccount: %v, default %q", err, s.DefaultAccount())
	}
}

func TestForgetRemovesSecrets(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(Config{Mode: ModeFile, StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	secretRoundTrip(t, s)
	if err := s.Account("a@example.com", testServer).SetPassword(secret.New("pw")); err != nil {
		t.Fatal(err)
	}
	if err := s.Account("a@example.com", testServer).SaveState(State{Server: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Account("A@EXAMPLE.COM", testServer).Forget(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Account("a@example.com", testServer).Password(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("password after Forget: %v", err)
	}
}

func TestStateCorruptIsMovedAsideWithAWarning(t *testing.T) {
	for _, content := range []string{"", "garbage", `{"accounts": 5}`, `{"accounts":{"a@example.com":"x"}}`, `[`} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "state.json"), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		var warnings []string
		s, err := Open(Config{Mode: ModeNone, StateDir: dir, Warn: func(w string) { warnings = append(warnings, w) }})
		if err != nil {
			t.Fatal(err)
		}
		if st, err := s.Account("a@example.com", testServer).State(); err != nil || st.Server != "" {
			t.Fatalf("%q: %+v %v", content, st, err)
		}
		if len(warnings) != 1 || !strings.Contains(warnings[0], "state.json.corrupt-") {
			t.Fatalf("%q: warnings %q", content, warnings)
		}
		aside, _ := filepath.Glob(filepath.Join(dir, "state.json.corrupt-*"))
		if len(aside) != 1 {
			t.Fatalf("%q: moved aside to %q", content, aside)
		}
		if kept, err := os.ReadFile(aside[0]); err != nil || string(kept) != content {
			t.Fatalf("%q: kept %q %v", content, kept, err)
		}
		if err := s.Account("a@example.com", testServer).SaveState(State{}); err != nil {
			t.Fatal(err)
		}
		if st, _ := s.Account("a@example.com", testServer).State(); st.Server != testServer {
			t.Fatalf("%q: not written afresh", content)
		}
	}
}

func TestStateOfAnotherServerIsApart(t *testing.T) {
	s, err := Open(Config{Mode: ModeFile, StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	a, b := s.Account("a@example.com", "one.example:1863"), s.Account("a@example.com", "two.example:1863")
	if err := a.SaveState(State{ListVersion: 3}); err != nil {
		t.Fatal(err)
	}
	if err := a.SetPassword(secret.New("pw-one")); err != nil {
		t.Fatal(err)
	}
	if err := a.SetTicket(Ticket{Value: secret.New("t=one"), Issued: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if st, _ := b.State(); st.ListVersion != 0 {
		t.Fatalf("the other server's state: %+v", st)
	}
	if _, err := b.Password(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a password saved for one server was offered to another: %v", err)
	}
	if _, err := b.Ticket(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a ticket saved for one server was offered to another: %v", err)
	}
	if pw, err := a.Password(); err != nil || pw.Reveal() != "pw-one" {
		t.Fatalf("own password: %v", err)
	}
}

func TestLegacySecretsMoveToTheirServerOnly(t *testing.T) {
	dir := t.TempDir()
	legacy := `{"default":"a@example.com","accounts":{"a@example.com":{"server":"one.example:1863","list_version":4}}}`
	if err := os.WriteFile(filepath.Join(dir, "state.json"), []byte(legacy), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(Config{Mode: ModeFile, StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.setSecret("a@example.com", "", "password", "old-pw"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Account("a@example.com", "two.example:1863").Password(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the legacy password was offered to another server: %v", err)
	}
	one := s.Account("a@example.com", "one.example:1863")
	if st, _ := one.State(); st.ListVersion != 4 {
		t.Fatalf("legacy state not moved: %+v", st)
	}
	if pw, err := one.Password(); err != nil || pw.Reveal() != "old-pw" {
		t.Fatalf("legacy password for its server: %v", err)
	}
	if _, err := s.getSecret("a@example.com", "", "password"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the legacy entry was not moved: %v", err)
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
	if err := s.Account("a@example.com", testServer).SaveState(State{Server: "s"}); err == nil {
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
				if err := shared.Account(acct, testServer).SaveState(State{Server: "s", ListVersion: i + 1}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for g := range 16 {
		st, err := shared.Account(fmt.Sprintf("user%d@example.com", g), testServer).State()
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
				if err := other.Account("shared@example.com", testServer).SaveState(State{Server: fmt.Sprint(g), ListVersion: i + 1}); err != nil {
					t.Error(err)
				}
				if _, err := other.Account("shared@example.com", testServer).State(); err != nil {
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
	if st, err := shared.Account("shared@example.com", testServer).State(); err != nil || st.ListVersion != 10 {
		t.Fatalf("shared: %+v %v", st, err)
	}
	assertOnly(t, dir, "state.json")
}

func TestRecordedSettingsAndTheDefaultAccount(t *testing.T) {
	dir := t.TempDir()
	if rec, account, err := Recorded(dir, ""); err != nil || account != "" || rec != (Settings{}) {
		t.Fatalf("nothing recorded: %+v %q %v", rec, account, err)
	}
	s, err := Open(Config{Mode: ModeNone, StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	want := Settings{Server: "h:1863", Nexus: "https://n/rdr/pprdr.asp", CAFile: "/ca.pem", Protocol: "msnp7", Keyring: ModeFile}
	a := s.Account("Bob@Example.com", "h:1863")
	if err := a.SaveSettings(want); err != nil {
		t.Fatal(err)
	}
	if err := a.MakeDefault(); err != nil {
		t.Fatal(err)
	}
	if rec, account, err := Recorded(dir, ""); err != nil || account != "bob@example.com" || rec != want {
		t.Fatalf("default: %+v %q %v", rec, account, err)
	}
	if rec, account, err := Recorded(dir, "alice@example.com"); err != nil || account != "alice@example.com" || rec != (Settings{}) {
		t.Fatalf("another account: %+v %q %v", rec, account, err)
	}
	removed, err := s.ForgetAccount("bob@example.com")
	if err != nil || strings.Join(removed, ",") != "settings" {
		t.Fatalf("ForgetAccount: %q %v", removed, err)
	}
	if rec, account, _ := Recorded(dir, ""); account != "" || rec != (Settings{}) {
		t.Fatalf("after ForgetAccount: %+v %q", rec, account)
	}
}
