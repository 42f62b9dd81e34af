package keyring

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"msn/proto/secret"
)

// otherUID is a user the tests give files to: nobody.
const otherUID = 65534

// needChown skips a test that must give a file to another user when
// the tests cannot, except under CI, where it fails instead.
func needChown(t *testing.T) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("this test gives a file to another user: run it as root")
	}
	t.Skip("not root: cannot give a file to another user")
}

// writePrivate writes a 0600 file.
func writePrivate(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestOpenPrivate(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	writePrivate(t, good, "pw\n")
	loose := filepath.Join(dir, "loose")
	writePrivate(t, loose, "pw\n")
	if err := os.Chmod(loose, 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(good, link); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "dangling")
	if err := os.Symlink(filepath.Join(dir, "none"), dangling); err != nil {
		t.Fatal(err)
	}

	f, err := OpenPrivate(good)
	if err != nil {
		t.Fatalf("good: %v", err)
	}
	f.Close()
	for name, want := range map[string]error{
		loose:                        ErrInsecureFile,
		link:                         ErrInsecureFile,
		dangling:                     ErrInsecureFile,
		dir:                          ErrNotRegular,
		filepath.Join(dir, "absent"): fs.ErrNotExist,
	} {
		f, err := OpenPrivate(name)
		if !errors.Is(err, want) {
			t.Errorf("%s: err %v, want %v", filepath.Base(name), err, want)
		}
		if f != nil {
			t.Errorf("%s: a file was returned", filepath.Base(name))
			f.Close()
		}
	}
	if _, err := OpenPrivate(link); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("link: %v does not say why", err)
	}
}

func TestOpenPrivateNotOwned(t *testing.T) {
	needChown(t)
	path := filepath.Join(t.TempDir(), "theirs")
	writePrivate(t, path, "pw\n")
	if err := os.Chown(path, otherUID, otherUID); err != nil {
		t.Fatal(err)
	}
	_, err := OpenPrivate(path)
	if !errors.Is(err, ErrInsecureFile) || !strings.Contains(err.Error(), "belongs to uid 65534") {
		t.Fatalf("file of uid %d: %v", otherUID, err)
	}
}

// fileStore opens a file-mode store in dir.
func fileStore(dir string) (*Store, error) {
	return Open(Config{Mode: ModeFile, StateDir: dir})
}

func TestFileRefusesSymlinks(t *testing.T) {
	real := t.TempDir()
	writePrivate(t, filepath.Join(real, "secrets.json"), `{}`)

	// secrets.json a link to a private file elsewhere.
	dir := t.TempDir()
	if err := os.Symlink(filepath.Join(real, "secrets.json"), filepath.Join(dir, "secrets.json")); err != nil {
		t.Fatal(err)
	}
	if _, err := fileStore(dir); !errors.Is(err, ErrInsecureFile) {
		t.Errorf("secrets.json a link: %v", err)
	}

	// The state directory a link.
	linkDir := filepath.Join(t.TempDir(), "msn")
	if err := os.Symlink(real, linkDir); err != nil {
		t.Fatal(err)
	}
	if _, err := fileStore(linkDir); !errors.Is(err, ErrInsecureFile) {
		t.Errorf("state directory a link: %v", err)
	}

	// A link put in place after Open is refused at the next read and write.
	dir3 := t.TempDir()
	s, err := fileStore(dir3)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(real, "secrets.json"), filepath.Join(dir3, "secrets.json")); err != nil {
		t.Fatal(err)
	}
	acct := s.Account("a@example.com", testServer)
	if _, err := acct.Password(); !errors.Is(err, ErrInsecureFile) {
		t.Errorf("read through a link: %v", err)
	}
	if err := acct.SetPassword(secret.New("pw")); !errors.Is(err, ErrInsecureFile) {
		t.Errorf("write over a link: %v", err)
	}
}

func TestFileRefusesOpenDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, err := fileStore(dir); !errors.Is(err, ErrInsecureFile) || !strings.Contains(err.Error(), "chmod 700") {
		t.Errorf("0777 state directory: %v", err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := fileStore(dir); err != nil {
		t.Errorf("0755 state directory: %v", err)
	}
}

func TestFileRefusesNotOwned(t *testing.T) {
	needChown(t)
	// secrets.json of another user, 0600.
	dir := t.TempDir()
	path := filepath.Join(dir, "secrets.json")
	writePrivate(t, path, `{"a@example.com ns.example.com:1863:password":"pw"}`)
	if err := os.Chown(path, otherUID, otherUID); err != nil {
		t.Fatal(err)
	}
	if _, err := fileStore(dir); !errors.Is(err, ErrInsecureFile) {
		t.Errorf("secrets.json of uid %d: %v", otherUID, err)
	}

	// A state directory of another user, 0700.
	other := filepath.Join(t.TempDir(), "msn")
	if err := os.Mkdir(other, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(other, otherUID, otherUID); err != nil {
		t.Fatal(err)
	}
	if _, err := fileStore(other); !errors.Is(err, ErrInsecureFile) || !strings.Contains(err.Error(), "belongs to uid") {
		t.Errorf("state directory of uid %d: %v", otherUID, err)
	}
}
