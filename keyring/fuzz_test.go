package keyring

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// FuzzStateFile feeds arbitrary bytes as state.json and secrets.json:
// reading never fails on content; a state file that decodes is kept and
// encodes and decodes back the same, with no state left in the older
// layout; one that does not is moved aside and read as empty; the
// secrets of a corrupt secrets.json read as none.
func FuzzStateFile(f *testing.F) {
	for _, s := range []string{
		`{"default":"a@b.c","settings":{"a@b.c":{"server":"127.0.0.1:1863","keyring":"file"}},"states":{"a@b.c 127.0.0.1:1863":{"server":"127.0.0.1:1863","list_version":5,"list":{"x":1}}}}`,
		`{"default":"a@b.c","accounts":{"a@b.c":{"server":"s:1","presence":"NLN"},"b@c.d":{}}}`,
		`{"accounts":{"a@b.c":{"server":"s:1"}},"states":{"a@b.c s:1":{"server":"other"}}}`,
		`{"states":null,"settings":null}`,
		`{"states":{"k":{"list":nul}}}`,
		`null`, `[]`, `"x"`, ``, `{`, "\xff\xfe{}",
		`{"a@b.c":"t=ticket&p=x"}`,
		`{"default":"` + strings.Repeat("a", 5000) + `"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, ok := decodeStateFile(data); ok {
			if got.Legacy != nil || got.States == nil || got.Settings == nil {
				t.Fatalf("decoded %+v", got)
			}
			enc, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			again, ok := decodeStateFile(enc)
			if !ok || !reflect.DeepEqual(normalState(again), normalState(got)) {
				t.Fatalf("%s does not read back the same: %+v", enc, again)
			}
		}

		dir := t.TempDir()
		path := statePathIn(dir)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		got, aside, err := readStateFile(dir)
		if err != nil {
			t.Fatalf("reading state: %v", err)
		}
		if _, ok := decodeStateFile(data); ok != (aside == "") {
			t.Fatalf("decodes %v, moved aside to %q", ok, aside)
		}
		if aside != "" {
			if len(got.States) != 0 || len(got.Settings) != 0 {
				t.Fatal("a corrupt state file read as not empty")
			}
			if _, err := os.Stat(aside); err != nil || filepath.Dir(aside) != dir {
				t.Fatalf("moved aside to %q: %v", aside, err)
			}
		}

		b := &fileBackend{path: filepath.Join(dir, "secrets.json")}
		if err := os.WriteFile(b.path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		m, err := b.load()
		if err != nil || m == nil {
			t.Fatalf("secrets: %v, %v", m, err)
		}
	})
}

// normalState drops the difference between an empty and a missing raw
// list, which JSON does not keep.
func normalState(f stateFile) stateFile {
	for k, st := range f.States {
		if len(st.List) == 0 || string(st.List) == "null" {
			st.List = nil
		} else {
			var v any
			json.Unmarshal(st.List, &v)
			st.List, _ = json.Marshal(v)
		}
		f.States[k] = st
	}
	return f
}
