package bench

import (
	"cmp"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// helloSource is the program msn's start-up is compared with.
const helloSource = `package main

import "fmt"

func main() { fmt.Println("hello") }
`

// startupRun is one command BenchmarkStartup runs in every iteration.
type startupRun struct {
	name string // the metric's prefix
	path string
	args []string
	odd  []string // when set, the arguments of odd iterations
}

// BenchmarkStartup runs, in every iteration and one after the other,
// a hello-world Go program, msn --version from a plain go build, and msn
// --version, --help and status set from the documented build (no cgo,
// no urfave/cli documentation writers), each as a new process. It
// reports, over the iterations, each one's median wall time per run in
// milliseconds (NAME-ms), its ratio to the hello-world program's
// (NAME/hello), and its median processor time, user and system
// (NAME-cpu-ms). Medians, because other work on the machine delays a few
// runs by far more than start-up takes. status set runs with a state
// directory of its own and the file keyring, needs no network, and sets
// away and busy in turn, so that every run writes the state file (and
// syncs it to disk).
func BenchmarkStartup(b *testing.B) {
	dir := b.TempDir()
	hello := buildHello(b, dir)
	plain := goBuild(b, "", "msn", filepath.Join(dir, "msn-plain"), nil, "build")
	static := msnBinary(b)
	home := filepath.Join(dir, "home")
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"MSN_KEYRING=file", "MSN_ACCOUNT=alice@example.com"}
	runs := []startupRun{
		{name: "hello", path: hello},
		{name: "plain-version", path: plain, args: []string{"--version"}},
		{name: "version", path: static, args: []string{"--version"}},
		{name: "help", path: static, args: []string{"--help"}},
		{name: "status-set", path: static, args: []string{"status", "set", "away"}, odd: []string{"status", "set", "busy"}},
	}
	wall := make([][]time.Duration, len(runs))
	cpu := make([][]time.Duration, len(runs))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, r := range runs {
			args := r.args
			if i%2 == 1 && r.odd != nil {
				args = r.odd
			}
			cmd := exec.Command(r.path, args...)
			cmd.Env = env
			start := time.Now()
			out, err := cmd.CombinedOutput()
			took := time.Since(start)
			if err != nil {
				b.Fatalf("%s %s: %v: %s", r.path, strings.Join(args, " "), err, out)
			}
			wall[j] = append(wall[j], took)
			cpu[j] = append(cpu[j], cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
		}
	}
	b.StopTimer()
	for j, r := range runs {
		b.ReportMetric(milliseconds(median(wall[j])), r.name+"-ms")
		b.ReportMetric(milliseconds(median(cpu[j])), r.name+"-cpu-ms")
		if j > 0 {
			b.ReportMetric(float64(median(wall[j]))/float64(median(wall[0])), r.name+"/hello")
		}
	}
	b.ReportMetric(0, "ns/op")
}

// buildHello builds helloSource in dir and returns the binary's path.
func buildHello(b *testing.B, dir string) string {
	b.Helper()
	src := filepath.Join(dir, "hello")
	if err := os.MkdirAll(src, 0o755); err != nil {
		b.Fatal(err)
	}
	for name, text := range map[string]string{"go.mod": "module hello\n\ngo 1.26\n", "main.go": helloSource} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return goBuild(b, src, ".", filepath.Join(dir, "hello-bin"), nil, "build")
}

// goBuild runs go ARGS -o out PKG in dir (the test's own directory when
// empty) with extra environment variables, and returns out.
func goBuild(b *testing.B, dir, pkg, out string, env []string, args ...string) string {
	b.Helper()
	cmd := exec.Command("go", append(append(args, "-o", out), pkg)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go %s: %v: %s", strings.Join(args, " "), err, msg)
	}
	return out
}

// median returns the middle value of xs, reordering xs.
func median[T cmp.Ordered](xs []T) T {
	slices.Sort(xs)
	return xs[len(xs)/2]
}

// milliseconds returns d in milliseconds.
func milliseconds(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
