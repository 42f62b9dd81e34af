package keyring

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"msn/proto/secret"
)

func TestFileMode(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	s, err := Open(Config{Mode: ModeFile, StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if s.Backend() != "file" || s.Warning() != "" {
		t.Fatalf("backend %q warning %q", s.Backend(), s.Warning())
	}
	secretRoundTrip(t, s)
	if err := s.Account("b@example.com", testServer).SetPassword(secret.New("pw")); err != nil {
		t.Fatal(err)
	}
	assertMode(t, filepath.Join(dir, "secrets.json"), 0o600)
	assertMode(t, dir, 0o700|os.ModeDir)
	assertOnly(t, dir, "secrets.json")
}

func TestFileInsecure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secrets.json")
	if err := os.WriteFile(path, []byte(`{}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(Config{Mode: ModeFile, StateDir: dir}); !errors.Is(err, ErrInsecureFile) {
		t.Fatalf("0644: %v", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(Config{Mode: ModeFile, StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Account("a@example.com", testServer).Password(); !errors.Is(err, ErrInsecureFile) {
		t.Fatalf("0640 after Open: %v", err)
	}
	if err := s.Account("a@example.com", testServer).SetPassword(secret.New("pw")); !errors.Is(err, ErrInsecureFile) {
		t.Fatalf("set on 0640: %v", err)
	}

	dir2 := t.TempDir()
	if err := os.Symlink(path, filepath.Join(dir2, "secrets.json")); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(Config{Mode: ModeFile, StateDir: dir2}); !errors.Is(err, ErrInsecureFile) {
		t.Fatalf("symlink: %v", err)
	}
}

func TestFileCorrupt(t *testing.T) {
	for _, content := range []string{"", "garbage", `{"a@example.com:ticket": 1}`, `null`, `{"a@example.com:ticket":"not json"}`, `{"a@example.com:ticket":"{\"v\":\"\"}"}`} {
		dir := t.TempDir()
		path := filepath.Join(dir, "secrets.json")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(Config{Mode: ModeFile, StateDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Account("a@example.com", testServer).Ticket(); !errors.Is(err, ErrNotFound) {
			t.Fatalf("%q: %v", content, err)
		}
		tk := Ticket{Value: secret.New("t=x&p=y"), Issued: time.Now()}
		if err := s.Account("a@example.com", testServer).SetTicket(tk); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Account("a@example.com", testServer).Ticket(); err != nil || got.Value.Reveal() != "t=x&p=y" {
			t.Fatalf("%q: overwrite: %v", content, err)
		}
	}
}

// assertMode fails unless path has exactly mode (type and permissions).
func assertMode(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode() & (os.ModeType | os.ModePerm); got != mode {
		t.Fatalf("%s: mode %v, want %v", path, got, mode)
	}
}

// assertOnly fails unless dir holds exactly the named entries.
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	for _, e := range ents {
		if !want[e.Name()] {
			t.Fatalf("unexpected file %s in %s", e.Name(), dir)
		}
	}
	if len(ents) != len(names) {
		t.Fatalf("%s has %d entries, want %v", dir, len(ents), names)
	}
}
