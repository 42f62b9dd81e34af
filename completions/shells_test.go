package completions_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"msn/completions"
)

// TestFishCompletion loads completions/msn.fish in fish and asks it for
// completions the way the shell does (complete -C).
func TestFishCompletion(t *testing.T) {
	fish := requireTool(t, "fish", "fish")
	work, env := fixture(t)
	script := filepath.Join(t.TempDir(), "msn.fish")
	if err := os.WriteFile(script, []byte(completions.Fish("msn")), 0o600); err != nil {
		t.Fatal(err)
	}
	for line, want := range map[string][]string{
		"msn --keyring ":       {"auto", "file", "none", "system"},
		"msn --keyring=n":      {"--keyring=none"},
		"msn status set b":     {"brb", "busy"},
		"msn send ":            {"bob@example.com", "carol@example.com"},
		"msn sendfile bob ma":  {"mail/", "main.txt"},
		"msn contacts group r": {"remove", "rename"},
	} {
		cmd := exec.Command(fish, "--no-config", "-c", "source $argv[1]; complete -C $argv[2]", script, line)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("fish, %q: %v", line, err)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if word, _, _ := strings.Cut(l, "\t"); word != "" {
				got = append(got, word)
			}
		}
		expect(t, "fish: "+line+"<TAB>", got, want...)
	}
}

// TestZshScriptParses checks the zsh script's syntax (zsh -n).
func TestZshScriptParses(t *testing.T) {
	zsh := requireTool(t, "zsh", "zsh")
	script := filepath.Join(t.TempDir(), "_msn")
	if err := os.WriteFile(script, []byte(completions.Zsh("msn")), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(zsh, "-n", script).CombinedOutput(); err != nil {
		t.Errorf("zsh -n _msn: %v\n%s", err, out)
	}
}
