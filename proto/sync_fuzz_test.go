package proto

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"msn/proto/internal/engine"
)

// streamSeeds turns the server lines of the syn_*.txt transcripts into
// raw streams, with the TrID bound to 1.
func streamSeeds(f *testing.F) []string {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "syn_*.txt"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed transcripts: %v", err)
	}
	var seeds []string
	for _, name := range files {
		text, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		var b strings.Builder
		for _, line := range strings.Split(string(text), "\n") {
			if rest, ok := strings.CutPrefix(line, "S: "); ok {
				b.WriteString(strings.NewReplacer("$5", "1", "$1", "1").Replace(rest) + "\r\n")
			}
		}
		seeds = append(seeds, b.String())
	}
	return seeds
}

// FuzzSyncStream feeds arbitrary server lines to the list-stream parser,
// as if they answered "SYN 1 <version>": it must not panic, and what it
// keeps must stay within the limits.
func FuzzSyncStream(f *testing.F) {
	for _, seed := range append(streamSeeds(f),
		"SYN 1 5 2 0\r\nBPR PHH 1\r\nGTC A\r\nBLP AL\r\nLST a@b.com A -1 0,0,0,99999\r\nLST c@d.com C 99999\r\nBPR MOB Y\r\n",
		"SYN 1 5 1 0\r\nLST a@b.com "+strings.Repeat("%41", 5000)+" 1\r\n",
		"SYN 1 5 1 1\r\nLSG 0 %ZZ%4 0\r\nLST a@b.com %ZZ%4 1 0\r\nGTC A\r\nBLP AL\r\n",
		"SYN 1 5 10001 501\r\n",
		"SYN 1 5\r\nLST 1 RL 5 0 0\r\nGTC 1 5 A\r\nBLP 1 5 BL\r\nPRP 1 5 PHH 1\r\n",
		"SYN 1 5\r\nLST 1 FL 5 1 1 a@b.com A 0,1,1,2\r\nBPR 5 a@b.com PHH x\r\nLST 1 RL 5 2 1 a@b.com A\r\n",
		"SYN 1 0\r\nSYN 1 0 0 0\r\n",
	) {
		f.Add([]byte(seed), false, uint16(0))
		f.Add([]byte(seed), true, uint16(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, msnp7 bool, requested uint16) {
		dialect := MSNP8
		if msnp7 {
			dialect = MSNP7
		}
		var cached *ContactList
		if requested > 0 {
			cached = NewContactList()
			cached.Version = int(requested)
		}
		b := newSyncBuilder(dialect, cached)
		lr := engine.NewReader(bytes.NewReader(data), dialect)
		begun := false
		var events []Event
		for i := 0; i <= len(data); i++ {
			cmd, _, err := lr.Read()
			if err != nil {
				if _, ok := err.(*engine.BadLine); ok {
					continue
				}
				break
			}
			if !begun && cmd.Verb == "SYN" && cmd.HasTrID {
				b.begin(cmd)
				begun = true
				continue
			}
			if _, ev := b.feed(cmd); ev != nil {
				events = append(events, ev)
			}
		}
		b.endAtFence()
		cl, err := b.outcome()
		if err != nil {
			return
		}
		if cl == nil {
			t.Fatal("no list and no error")
		}
		for _, ev := range events {
			cl.Apply(ev)
		}
		checkBounds(t, cl)
	})
}

func checkBounds(t *testing.T, cl *ContactList) {
	t.Helper()
	if len(cl.ContactMap) > MaxContacts || len(cl.GroupMap) > MaxGroups || len(cl.Phones) > 5 {
		t.Fatalf("%d contacts, %d groups, %d phones", len(cl.ContactMap), len(cl.GroupMap), len(cl.Phones))
	}
	for _, g := range cl.GroupMap {
		if len(g.Name) > MaxNameBytes {
			t.Fatalf("group name of %d bytes", len(g.Name))
		}
	}
	for key, c := range cl.ContactMap {
		if key != strings.ToLower(c.Email) || len(c.Name) > MaxNameBytes || len(c.Groups) > MaxGroups ||
			len(c.Phones) > 5 || c.Lists == 0 || c.Lists&^allLists != 0 {
			t.Fatalf("contact %q = %+v", key, c)
		}
		for _, v := range c.Phones {
			if len(v) > MaxNameBytes {
				t.Fatalf("phone of %d bytes", len(v))
			}
		}
	}
}
