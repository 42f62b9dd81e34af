package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// helloMain is the program msn's start-up is measured against.
const helloMain = `package main

import "fmt"

func main() { fmt.Println("hello, world") }
`

// helloBinary builds helloMain the way msnBinary builds msn.
func helloBinary(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(helloMain), 0o644); err != nil {
		tb.Fatal(err)
	}
	out := filepath.Join(dir, "hello")
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, "main.go")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GO111MODULE=off")
	if b, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build hello: %v\n%s", err, b)
	}
	return out
}

// BenchmarkStartup measures how long msn takes to start and exit, for
// commands that touch no network: --version, --help, and status set
// away (which writes the state file), against a hello-world Go program
// built the same way, each run as a process once per iteration, in turn.
// It reports each one's mean time (NAME-ms) and its ratio to hello world
// (NAME-x).
func BenchmarkStartup(b *testing.B) {
	hello := helloBinary(b)
	msn := msnBinary(b)
	home := b.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home,
		"XDG_STATE_HOME=" + filepath.Join(home, "state"), "XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"XDG_RUNTIME_DIR=" + filepath.Join(home, "run")}
	if err := os.Mkdir(filepath.Join(home, "run"), 0o700); err != nil {
		b.Fatal(err)
	}
	runs := []struct {
		name string
		argv []string
		want string
	}{
		{"hello", []string{hello}, "hello, world"},
		{"version", []string{msn, "--version"}, "msn"},
		{"help", []string{msn, "--help"}, "USAGE"},
		{"status-set", []string{msn, "--account", alice, "--keyring", "file", "status", "set", "away"}, ""},
	}
	elapsed := make([]time.Duration, len(runs))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, r := range runs {
			cmd := exec.Command(r.argv[0], r.argv[1:]...)
			cmd.Env, cmd.Dir = env, home
			start := time.Now()
			out, err := cmd.Output()
			elapsed[j] += time.Since(start)
			if err != nil {
				b.Fatalf("%s: %v", strings.Join(r.argv[1:], " "), err)
			}
			if !strings.Contains(string(out), r.want) {
				b.Fatalf("%s: %q, want %q in it", strings.Join(r.argv[1:], " "), out, r.want)
			}
		}
	}
	b.StopTimer()
	for j, r := range runs {
		b.ReportMetric(elapsed[j].Seconds()*1000/float64(b.N), r.name+"-ms")
		if j > 0 {
			b.ReportMetric(float64(elapsed[j])/float64(elapsed[0]), r.name+"-x")
		}
	}
}
