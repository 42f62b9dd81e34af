package commands

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"msn/proto/msntest"
	"msn/proto/server"
)

// benchOneWay is the latency the benchmark proxies add in each direction.
const benchOneWay = 25 * time.Millisecond

// benchWorld is a local server with reusable tickets, reached only
// through latency proxies, and the global flags that point msn at it.
type benchWorld struct {
	*msntest.LatencyWorld
	dir  string
	args []string
}

func newBenchWorld(tb testing.TB, oneWay time.Duration) *benchWorld {
	tb.Helper()
	lw := msntest.NewLatencyWorld(tb, server.Config{Accounts: server.DemoAccounts(), Policy: server.Reusable}, oneWay)
	dir := tb.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, lw.Server.CACertPEM(), 0o644); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "alice.pw"), []byte("alicepass\n"), 0o600); err != nil {
		tb.Fatal(err)
	}
	tb.Setenv("HOME", dir)
	tb.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	tb.Setenv("XDG_RUNTIME_DIR", "") // session sockets under the state directory
	return &benchWorld{LatencyWorld: lw, dir: dir, args: []string{"msn", "--server", lw.NS.Addr(),
		"--nexus", lw.NexusURL(), "--ca-file", ca, "--keyring", "file"}}
}

// run runs msn in process, from building the app to its exit code, the
// way main does.
func (w *benchWorld) run(tb testing.TB, args ...string) {
	tb.Helper()
	var stdout, stderr bytes.Buffer
	env := &Env{Stdout: &stdout, Stderr: &stderr, Stdin: strings.NewReader("")}
	err := NewAppWithEnv(env).RunContext(context.Background(), append(append([]string{}, w.args...), args...))
	if code := Report(&stderr, err); code != 0 {
		tb.Fatalf("msn %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "bob@example.com") {
		tb.Fatalf("msn %s: no bob in %q", strings.Join(args, " "), stdout.String())
	}
}

// BenchmarkStatusRoundTrips measures msn status (hidden sign-in, list,
// everyone's presence) from process start to exit, through proxies that
// add 25 ms each way, in round trips (wall time divided by 50 ms). TCP
// and TLS handshakes are included.
func BenchmarkStatusRoundTrips(b *testing.B) {
	b.Run("cached", func(b *testing.B) {
		w := newBenchWorld(b, benchOneWay)
		w.run(b, "--account", "alice@example.com", "status", "--password-file", filepath.Join(w.dir, "alice.pw"))
		w.run(b, "--account", "alice@example.com", "status") // the ticket and the list are cached now
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			w.run(b, "--account", "alice@example.com", "status")
		}
		reportBenchRoundTrips(b)
	})
	b.Run("nothing-cached", func(b *testing.B) {
		w := newBenchWorld(b, benchOneWay)
		state := filepath.Join(w.dir, "state")
		pw := filepath.Join(w.dir, "alice.pw")
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			if err := os.RemoveAll(state); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			w.run(b, "--account", "alice@example.com", "status", "--password-file", pw)
		}
		reportBenchRoundTrips(b)
	})
}

// reportBenchRoundTrips reports the time of one run in round trips.
func reportBenchRoundTrips(b *testing.B) {
	b.StopTimer()
	rt := b.Elapsed().Seconds() / float64(b.N) / (2 * benchOneWay).Seconds()
	b.ReportMetric(rt, "round-trips")
}
