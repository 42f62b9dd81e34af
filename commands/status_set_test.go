package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStatusSetWritesOnlyAChange(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_STATE_HOME", dir)
	t.Setenv("XDG_RUNTIME_DIR", "")
	file := filepath.Join(dir, "msn", "state.json")
	set := func(state string) os.FileInfo {
		t.Helper()
		stdout, stderr, code := run(t, "--keyring", "file", "-a", "alice@example.com", "status", "set", state)
		if code != 0 || !strings.Contains(stdout, "appears "+state) {
			t.Fatalf("status set %s: exit %d, stdout %q, stderr %q", state, code, stdout, stderr)
		}
		fi, err := os.Stat(file)
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	first := set("away")
	if again := set("away"); !os.SameFile(first, again) {
		t.Error("setting the same state again rewrote the state file")
	}
	if busy := set("busy"); os.SameFile(first, busy) {
		t.Error("a new state left the state file as it was")
	}
	stdout, _, code := run(t, "--keyring", "file", "-a", "alice@example.com", "status", "set")
	if code != 0 || !strings.Contains(stdout, "appears busy") {
		t.Errorf("status set: exit %d, stdout %q", code, stdout)
	}
}
