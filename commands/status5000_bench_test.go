//go:build linux

package commands

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"msn/proto/server"
)

// timeCommand reports the peak RSS of the runs (-f %M, in KB); without
// it none is reported.
const timeCommand = "/usr/bin/time"

// binWorld is a local server and the msn binary built from this module,
// run as a process of its own against the server, with its state in a
// temporary directory.
type binWorld struct {
	*testWorld
	bin string
}

// newBinWorld builds msn as README's "Set up" documents (static,
// without urfave/cli's documentation writers) and starts a server with
// accts.
func newBinWorld(b *testing.B, accts []server.Account) *binWorld {
	b.Helper()
	w := startWorld(b, server.Config{Accounts: accts, Policy: server.Reusable})
	bin := filepath.Join(w.dir, "msn")
	build := exec.Command("go", "build", "-tags", "urfave_cli_no_docs", "-o", bin, "msn")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return &binWorld{testWorld: w, bin: bin}
}

// binRun is one run of the binary.
type binRun struct {
	stdout  string
	elapsed time.Duration
	rssKB   int64 // peak resident set size; 0 when unknown
}

// run runs msn as account with args, failing the benchmark unless it
// exits 0.
func (w *binWorld) run(b *testing.B, account string, args ...string) binRun {
	b.Helper()
	all := append([]string{"--server", w.nsAddr, "--nexus", w.nexus, "--ca-file", w.caFile,
		"--keyring", "file", "--account", account}, args...)
	// Peak RSS comes from /usr/bin/time, which forks: the rusage of a
	// process started from this one would count this process's memory
	// too (Linux keeps the high-water mark across exec).
	rssFile := filepath.Join(w.dir, "rss")
	cmd := exec.Command(w.bin, all...)
	if _, err := os.Stat(timeCommand); err == nil {
		cmd = exec.Command(timeCommand, append([]string{"-f", "%M", "-o", rssFile, w.bin}, all...)...)
	}
	cmd.Env = []string{"HOME=" + w.dir, "XDG_STATE_HOME=" + filepath.Join(w.dir, "state"), "XDG_RUNTIME_DIR=", "PATH=" + os.Getenv("PATH")}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := binRun{stdout: stdout.String(), elapsed: time.Since(start)}
	if err != nil {
		b.Fatalf("msn %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	if b, err := os.ReadFile(rssFile); err == nil {
		r.rssKB, _ = strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	}
	return r
}

// status runs a cached msn status as account and checks that it lists
// the contacts c0000@example.com to c{n-1}, each offline.
func (w *binWorld) status(b *testing.B, account string, n int) binRun {
	b.Helper()
	r := w.run(b, account, "status")
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	last := fmt.Sprintf("c%04d@example.com", n-1)
	if len(lines) != n+1 || !strings.HasPrefix(lines[1], "c0000@example.com  offline  c0000") ||
		!strings.HasPrefix(lines[n], last+"  offline  ") {
		b.Fatalf("msn status as %s: %d lines, want %d: %.200q", account, len(lines), n+1, r.stdout)
	}
	return r
}

// BenchmarkStatusContacts runs a cached msn status, the real binary from
// process start to exit, for an account with 1 contact and one with
// 5,000, against a local server; "alternating" runs both in each
// iteration and reports the ratio of their times. Every run's output is
// checked. Peak RSS is reported in KB.
func BenchmarkStatusContacts(b *testing.B) {
	accts := append(contactAccounts("alice@example.com", "alicepass", 5000),
		server.Account{Email: "one@example.com", Password: "onepass", Contacts: []string{"c0000@example.com"}})
	w := newBinWorld(b, accts)
	for _, a := range []string{"one@example.com", "alice@example.com"} {
		w.run(b, a, "login", "--password-file", w.passwordFile(a), a)
	}
	one := func(b *testing.B) binRun { return w.status(b, "one@example.com", 1) }
	many := func(b *testing.B) binRun { return w.status(b, "alice@example.com", 5000) }
	one(b) // the lists and tickets are cached from now on
	many(b)
	for _, v := range []struct {
		name string
		run  func(*testing.B) binRun
	}{{"1", one}, {"5000", many}} {
		b.Run(v.name, func(b *testing.B) {
			var rss int64
			for i := 0; i < b.N; i++ {
				rss = max(rss, v.run(b).rssKB)
			}
			b.ReportMetric(float64(rss), "peak-rss-KB")
		})
	}
	b.Run("alternating", func(b *testing.B) {
		var t1, t5000 time.Duration
		var rss1, rss5000 int64
		for i := 0; i < b.N; i++ {
			r1, r5000 := one(b), many(b)
			t1, t5000 = t1+r1.elapsed, t5000+r5000.elapsed
			rss1, rss5000 = max(rss1, r1.rssKB), max(rss5000, r5000.rssKB)
		}
		b.ReportMetric(float64(t1)/float64(time.Millisecond)/float64(b.N), "ms-1")
		b.ReportMetric(float64(t5000)/float64(time.Millisecond)/float64(b.N), "ms-5000")
		b.ReportMetric(float64(t5000)/float64(t1), "ratio")
		b.ReportMetric(float64(rss1), "peak-rss-KB-1")
		b.ReportMetric(float64(rss5000), "peak-rss-KB-5000")
	})
}
