package commands

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNoWireVerbs keeps protocol details in proto: no three-letter
// upper-case string literal (a wire verb such as "USR") may appear in
// the non-test files of this package or of the packages below it that
// stand between it and proto (session, shell).
func TestNoWireVerbs(t *testing.T) {
	verb := regexp.MustCompile(`"[A-Z]{3}"`)
	var files []string
	for _, dir := range []string{".", "session", "shell"} {
		more, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, more...)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if m := verb.FindString(line); m != "" {
				t.Errorf("%s:%d: wire verb %s belongs in proto", name, i+1, m)
			}
		}
	}
}
