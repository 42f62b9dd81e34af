package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"go.uber.org/goleak"
)

// binDir is the temporary directory of the binaries built for this test
// binary; TestMain removes it.
var binDir string

// build is the one build of msn; built and buildErr are its outcome.
var (
	build    sync.Once
	built    string
	buildErr error
)

// TestMain runs the tests, removes the binaries they built, and fails
// the run when goroutines are left over.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "msn-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: errors on successful test run: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

// documentedBuild is the build README's "Set up" documents, without the
// output path: static (no cgo), without urfave/cli's documentation
// writers.
var documentedBuild = []string{"build", "-tags", "urfave_cli_no_docs"}

// msnBinary returns the path of msn built from this module, as a user
// builds it (CGO_ENABLED=0 and documentedBuild), once per test binary.
func msnBinary(tb testing.TB) string {
	tb.Helper()
	build.Do(func() {
		out := filepath.Join(binDir, "msn")
		cmd := exec.Command("go", append(documentedBuild, "-o", out, "msn")...)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if b, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build msn: %v\n%s", err, b)
			return
		}
		built = out
	})
	if buildErr != nil {
		tb.Fatal(buildErr)
	}
	return built
}
