package man_test

import (
	"os"
	"path/filepath"
	"testing"

	"msn/commands"
	"msn/completions"
	"msn/man"
)

// TestGeneratedFilesUpToDate fails when man/msn.1 or a completion script
// no longer matches the application.
func TestGeneratedFilesUpToDate(t *testing.T) {
	page, err := man.Page(commands.NewApp())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"msn.1":                   page,
		"../completions/msn.bash": completions.Bash("msn"),
		"../completions/_msn":     completions.Zsh("msn"),
		"../completions/msn.fish": completions.Fish("msn"),
	}
	for name, text := range want {
		got, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("%s: %v; regenerate with: go generate ./man", filepath.Clean(name), err)
			continue
		}
		if string(got) != text {
			t.Errorf("%s is stale; regenerate with: go generate ./man", filepath.Clean(name))
		}
	}
}
