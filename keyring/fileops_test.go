package keyring

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// newProcess forgets what this process read of the state files, as a
// new process starts, and makes the files of dir look old enough for
// their cache to be trusted.
func newProcess(t *testing.T, dir string) {
	t.Helper()
	ForgetFiles()
	old := time.Now().Add(-time.Hour)
	filepath.WalkDir(dir, func(path string, _ os.DirEntry, err error) error {
		if err == nil {
			err = os.Chtimes(path, old, old)
		}
		return err
	})
}

// checkOps runs fn and checks the reads, writes and fsyncs it did.
func checkOps(t *testing.T, what string, want FileOps, fn func()) {
	t.Helper()
	before := Ops()
	fn()
	if got := Ops().Sub(before); got != want {
		t.Errorf("%s: %+v, want %+v", what, got, want)
	}
}

// TestStateFilesAreReadOnceAndWrittenWhenChanged goes through what a
// command with a cached list does to the state files (the recorded
// settings, the store, the state read several times, then saved back
// unchanged) and counts: each file is read once, nothing is written. A
// change writes only the file it is in.
func TestStateFilesAreReadOnceAndWrittenWhenChanged(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "msn")
	s, err := Open(Config{Mode: ModeNone, StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	a := s.Account("a@example.com", testServer)
	list := json.RawMessage(`{"version":7,"contacts":["b@example.com"]}`)
	st := State{NSAddr: "127.0.0.1:1864", ListVersion: 7, List: list}
	if err := a.SaveState(st); err != nil {
		t.Fatal(err)
	}
	if err := a.SaveSettings(Settings{Server: testServer}); err != nil {
		t.Fatal(err)
	}
	if err := a.MakeDefault(); err != nil {
		t.Fatal(err)
	}

	newProcess(t, dir)
	checkOps(t, "a command with everything cached", FileOps{Reads: 2}, func() {
		if set, acct, err := Recorded(dir, ""); err != nil || acct != "a@example.com" || set.Server != testServer {
			t.Fatalf("recorded: %+v %q %v", set, acct, err)
		}
		s, err := Open(Config{Mode: ModeNone, StateDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		a := s.Account("a@example.com", testServer)
		for range 3 {
			got, err := a.State()
			if err != nil || string(got.List) != string(list) || got.NSAddr != st.NSAddr {
				t.Fatalf("state: %+v %v", got, err)
			}
		}
		got, _ := a.State()
		if err := a.SaveState(got); err != nil {
			t.Fatal(err)
		}
		if err := a.SaveSettings(Settings{Server: testServer}); err != nil {
			t.Fatal(err)
		}
		if err := a.MakeDefault(); err != nil {
			t.Fatal(err)
		}
		if sts := Peek(dir).States("a@example.com", testServer); len(sts) != 1 || string(sts[0].List) != string(list) {
			t.Fatalf("peek: %+v", sts)
		}
	})

	checkOps(t, "a presence change", FileOps{Writes: 1, Syncs: 2}, func() {
		got, _ := a.State()
		got.Presence = "BSY"
		if err := a.SaveState(got); err != nil {
			t.Fatal(err)
		}
	})
	checkOps(t, "a list change that keeps its version", FileOps{Writes: 1, Syncs: 2}, func() {
		got, _ := a.State()
		got.List = json.RawMessage(`{"version":7,"contacts":["c@example.com"]}`)
		if err := a.SaveState(got); err != nil {
			t.Fatal(err)
		}
	})
	checkOps(t, "a new list version", FileOps{Writes: 2, Syncs: 4}, func() {
		got, _ := a.State()
		got.ListVersion, got.List = 8, json.RawMessage(`{"version":8,"contacts":[]}`)
		if err := a.SaveState(got); err != nil {
			t.Fatal(err)
		}
	})

	// Another process replaces state.json: it is read again.
	newProcess(t, dir)
	checkOps(t, "reading", FileOps{Reads: 1}, func() { _ = s.DefaultAccount() })
	if err := os.WriteFile(filepath.Join(dir, "state.json"), []byte(`{"default":"z@example.com"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	checkOps(t, "reading a replaced file", FileOps{Reads: 1}, func() {
		if d := s.DefaultAccount(); d != "z@example.com" {
			t.Errorf("default %q after another process wrote it", d)
		}
	})
}

// TestLegacyListMovesToItsFile reads a state file whose contact list is
// inside it, as older versions wrote it: the list is read from there, and
// the next save moves it to its own file.
func TestLegacyListMovesToItsFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "msn")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	legacy := `{"default":"a@example.com","states":{"a@example.com ` + testServer + `":{"server":"` + testServer +
		`","list_version":4,"list":{"version":4,"contacts":["b@example.com"]}}}}`
	if err := os.WriteFile(filepath.Join(dir, "state.json"), []byte(legacy), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(Config{Mode: ModeNone, StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	a := s.Account("a@example.com", testServer)
	st, err := a.State()
	if err != nil || st.ListVersion != 4 || !strings.Contains(string(st.List), "b@example.com") {
		t.Fatalf("legacy state: %+v %v", st, err)
	}
	if err := a.SaveState(st); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "state.json"))
	if err != nil || strings.Contains(string(data), "b@example.com") {
		t.Fatalf("state.json after the save: %s %v", data, err)
	}
	if got, err := a.State(); err != nil || got.ListVersion != 4 || string(got.List) != string(st.List) {
		t.Fatalf("after the move: %+v %v", got, err)
	}

	// Forgetting the account removes its list files.
	if removed, err := s.ForgetAccount("a@example.com"); err != nil || len(removed) == 0 {
		t.Fatalf("forget: %q %v", removed, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "lists", "*")); len(left) != 0 {
		t.Fatalf("left after ForgetAccount: %q", left)
	}
}
