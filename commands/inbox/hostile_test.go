package inbox

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Hostile file names and pre-placed files in the target directory
// (hostile-inputs.md §2.6 #74, #76; §2.7 #88), one row per case: the name
// a peer offers, what is already in the directory, and where the file
// must end up. runInboxRow checks invariant (F) of §2.0 on top: nothing is
// written outside the target directory (the whole parent is walked),
// nothing already there is replaced or followed, and an aborted transfer
// leaves nothing under any name.

// inboxRow is one hostile case.
type inboxRow struct {
	n       int
	offered string // Application-File as the peer sent it
	// existing are entries placed in the target directory first: a name
	// and "file", "dir" or "symlink" (to a file outside).
	existing map[string]string
	// want is the base name the file is stored under.
	want string
	// abort makes the transfer fail part way instead of completing.
	abort bool
}

func inboxRows() []inboxRow {
	return []inboxRow{
		{n: 74, offered: "../../.bashrc", want: "_bashrc"}, // no hidden files
		{n: 74, offered: "/etc/passwd", want: "passwd"},
		{n: 74, offered: `..\..\AppData\x.dll`, want: "x.dll"},
		{n: 74, offered: `C:\Windows\x.dll`, want: "x.dll"},
		{n: 74, offered: "sub/dir/x", want: "x"},
		{n: 74, offered: "a/../../b", want: "b"},
		{n: 74, offered: `c:\Users\u\AppData\Local\Packages\Microsoft.SkypeApp\image.png`, want: "image.png"},
		{n: 74, offered: "..", want: SafeName("..")},
		{n: 74, offered: "", want: SafeName("")},
		{n: 74, offered: "x\r\nIP-Address: 6.6.6.6", want: SafeName("x\r\nIP-Address: 6.6.6.6")},
		{n: 74, offered: "\u202egnp.exe", want: SafeName("\u202egnp.exe")},
		{n: 74, offered: "NUL", want: SafeName("NUL")},
		{n: 74, offered: strings.Repeat("a", 300) + ".txt", want: SafeName(strings.Repeat("a", 300) + ".txt")},
		{n: 76, offered: "photo.jpg", existing: map[string]string{"photo.jpg": "file"}, want: "photo (1).jpg"},
		{n: 76, offered: "photo.jpg", existing: map[string]string{"photo.jpg": "symlink"}, want: "photo (1).jpg"},
		{n: 76, offered: "photo.jpg", existing: map[string]string{"photo.jpg": "dir", "photo (1).jpg": "file"}, want: "photo (2).jpg"},
		{n: 88, offered: "partial.bin", abort: true},
	}
}

// runInboxRow receives a file offered as r.offered into a fresh target
// directory and checks where it went.
func runInboxRow(t *testing.T, r inboxRow) {
	t.Helper()
	base := t.TempDir()
	dir := filepath.Join(base, "inbox")
	outside := filepath.Join(base, "outside")
	for _, d := range []string{dir, outside} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	victim := filepath.Join(outside, "victim")
	if err := os.WriteFile(victim, []byte("victim"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, kind := range r.existing {
		p := filepath.Join(dir, name)
		var err error
		switch kind {
		case "file":
			err = os.WriteFile(p, []byte("existing"), 0o600)
		case "dir":
			err = os.Mkdir(p, 0o700)
		case "symlink":
			err = os.Symlink(victim, p)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	before := snapshot(t, base)

	name := SafeName(r.offered)
	if strings.ContainsAny(name, `/\`) || !filepath.IsLocal(name) || len(name) > MaxNameBytes || SafeName(name) != name {
		t.Errorf("(F) SafeName(%q) = %q is not a safe local name", r.offered, name)
	}
	f, err := Create(dir, name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("payload")); err != nil {
		t.Fatal(err)
	}
	var stored string
	if r.abort {
		if err := f.Abort(); err != nil {
			t.Fatal(err)
		}
	} else {
		if stored, err = f.Commit(false); err != nil {
			t.Fatal(err)
		}
		if filepath.Dir(stored) != dir || filepath.Base(stored) != r.want {
			t.Errorf("(F) stored as %q, want %q in %s", stored, r.want, dir)
		}
	}

	after := snapshot(t, base)
	for p, was := range before {
		if after[p] != was {
			t.Errorf("(F) %s changed: %q, was %q", p, after[p], was)
		}
	}
	for p, now := range after {
		if _, ok := before[p]; ok {
			continue
		}
		if p != stored {
			t.Errorf("(F) new entry %s (%s): only %q may appear", p, now, stored)
		}
	}
}

// snapshot maps every path under root to its kind and content.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			out[p] = "symlink to " + target
		case d.IsDir():
			out[p] = "dir"
		default:
			b, _ := os.ReadFile(p)
			out[p] = "file " + string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestHostileFileNames(t *testing.T) {
	for i, r := range inboxRows() {
		t.Run(fmt.Sprintf("%d %d %q", r.n, i, r.offered), func(t *testing.T) { runInboxRow(t, r) })
	}
}
