package man_test

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// requireTool returns the path of a program the test needs. Outside CI
// a missing one skips the test; in CI, where .ci/run installs it, it
// fails it.
func requireTool(t *testing.T, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing (Debian package %s); .ci/run installs it", name, pkg)
	}
	t.Skipf("%s is missing: install the Debian package %s", name, pkg)
	return ""
}

// lint runs a formatter on msn.1 and fails on anything it prints on
// stderr (or, for mandoc -Tlint, on stdout).
func lint(t *testing.T, tool string, args ...string) {
	t.Helper()
	var out bytes.Buffer
	cmd := exec.Command(tool, args...)
	cmd.Stderr = &out
	if strings.HasSuffix(tool, "mandoc") {
		cmd.Stdout = &out
	}
	err := cmd.Run()
	if err != nil || out.Len() > 0 {
		t.Errorf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, out.String())
	}
}

// TestPageLintsGroff checks that groff formats msn.1 without a warning.
func TestPageLintsGroff(t *testing.T) {
	groff := requireTool(t, "groff", "groff-base")
	lint(t, groff, "-man", "-Tutf8", "-ww", "-z", "msn.1")
}

// TestPageLintsMandoc checks that mandoc finds nothing to warn about in
// msn.1 (style remarks included).
func TestPageLintsMandoc(t *testing.T) {
	mandoc := requireTool(t, "mandoc", "mandoc")
	lint(t, mandoc, "-Tlint", "-Wstyle", "msn.1")
}
