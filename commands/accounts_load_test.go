package commands

import (
	"context"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"msn/proto"
	"msn/proto/passport"
	"msn/proto/secret"
	"msn/proto/server"
	"msn/proto/switchboard"
)

// atOnceAccounts is how many accounts BenchmarkAccountsAtOnce signs in
// and sends from at once, and atOnceAccountsCI how many TestAccountsAtOnce
// does, so that it takes a second or two under the race detector. Each
// sender has a listening account of its own, so the server holds twice as
// many sessions.
const (
	atOnceAccounts   = 100
	atOnceAccountsCI = 25
)

// loadPair is one sender and the listening account it writes to.
type loadPair struct {
	sender, listener string
}

// loadWorld is a server with single-use tickets and n sender accounts,
// each with one listener account as its only contact.
type loadWorld struct {
	*testWorld
	pairs []loadPair
}

func newLoadWorld(tb testing.TB, n int) *loadWorld {
	tb.Helper()
	var accounts []server.Account
	pairs := make([]loadPair, n)
	for i := range pairs {
		p := loadPair{sender: fmt.Sprintf("s%03d@load.test", i), listener: fmt.Sprintf("l%03d@load.test", i)}
		pairs[i] = p
		accounts = append(accounts,
			server.Account{Email: p.sender, Password: fmt.Sprintf("spass%03d", i), Contacts: []string{p.listener}},
			server.Account{Email: p.listener, Password: fmt.Sprintf("lpass%03d", i), Contacts: []string{p.sender}})
	}
	w := newTestWorld(tb, server.Config{Accounts: accounts, Policy: server.SingleUse})
	tb.Setenv("HOME", w.dir)
	return &loadWorld{testWorld: w, pairs: pairs}
}

// loadListener is a listening account signed in through proto: it answers
// every invitation and records the texts that reach it.
type loadListener struct {
	res   *proto.LoginResult
	mu    sync.Mutex
	texts []string
	sbs   []*switchboard.Switchboard
	got   chan struct{} // a token for each text
	stop  chan struct{}
	wg    sync.WaitGroup
}

// listenAs signs account in, online, and answers invitations until
// close.
func (w *loadWorld) listenAs(ctx context.Context, account string) (*loadListener, error) {
	pw, err := os.ReadFile(w.passwordFile(account))
	if err != nil {
		return nil, err
	}
	pc := passport.New(w.srv.NexusURL(), w.roots())
	defer pc.CloseIdle()
	l := &loadListener{got: make(chan struct{}, 16), stop: make(chan struct{})}
	rings := make(chan *proto.Ring, 4)
	l.res, err = proto.Login(ctx, proto.LoginConfig{
		Server: w.srv.NSAddr(), Email: account, Passport: pc,
		Password: func(context.Context) (secret.String, error) { return secret.New(strings.TrimSpace(string(pw))), nil },
		Options: proto.Options{Handler: func(ev proto.Event) {
			if r, ok := ev.(*proto.Ring); ok {
				select {
				case rings <- r:
				default: // more rings than the test makes: left unanswered
				}
			}
		}},
	})
	if err != nil {
		return nil, err
	}
	if err := l.res.NS.SetStatus(ctx, proto.StatusOnline); err != nil {
		l.res.NS.Close()
		return nil, err
	}
	l.wg.Add(1)
	go l.answer(rings)
	return l, nil
}

func (l *loadListener) answer(rings <-chan *proto.Ring) {
	defer l.wg.Done()
	for {
		select {
		case r := <-rings:
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			sb, err := switchboard.Answer(ctx, l.res.NS, r, switchboard.Options{Handler: l.event})
			cancel()
			if err == nil {
				l.mu.Lock()
				l.sbs = append(l.sbs, sb)
				l.mu.Unlock()
			}
		case <-l.stop:
			return
		}
	}
}

func (l *loadListener) event(ev switchboard.Event) {
	if m, ok := ev.(*switchboard.IncomingMessage); ok {
		l.mu.Lock()
		l.texts = append(l.texts, m.From+": "+m.Text)
		l.mu.Unlock()
		select {
		case l.got <- struct{}{}:
		default:
		}
	}
}

// received returns the texts received so far.
func (l *loadListener) received() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.texts)
}

// close stops answering, closes the conversations and signs out.
func (l *loadListener) close() {
	close(l.stop)
	l.wg.Wait()
	l.mu.Lock()
	sbs := l.sbs
	l.mu.Unlock()
	for _, sb := range sbs {
		sb.Close()
	}
	l.res.NS.Close()
}

// roots trusts the server's certificates.
func (w *loadWorld) roots() *x509.CertPool {
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(w.srv.CACertPEM())
	return roots
}

// loadResult is what one run of all the senders gave.
type loadResult struct {
	wall      time.Duration
	latencies []time.Duration // of each msn send, sorted
	errs      []error
}

// sendAll runs one msn send per pair at once, in process from runSend
// down, each from its own sender account, and waits for them all.
func (w *loadWorld) sendAll(ctx context.Context, round int) loadResult {
	var res loadResult
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for _, p := range w.pairs {
		wg.Go(func() {
			// runSend, not the whole app: the flag parser keeps state in
			// globals, so that one process runs one app at a time.
			env, _, stderr := w.env(p.sender, strings.NewReader(""))
			opts := sendOptions{Recipients: []string{p.listener}, Text: fmt.Sprintf("round %d", round), HasText: true,
				Window: sendWindow, Session: w.session(p.sender)}
			t0 := time.Now()
			err := runSend(ctx, env, opts)
			d := time.Since(t0)
			if err != nil {
				err = fmt.Errorf("%s: %w; %s", p.sender, err, strings.TrimSpace(stderr.String()))
			}
			mu.Lock()
			res.latencies = append(res.latencies, d)
			if err != nil {
				res.errs = append(res.errs, err)
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	res.wall = time.Since(start)
	slices.Sort(res.latencies)
	return res
}

// percentile returns the p-th percentile of sorted durations.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(i, 1)-1]
}

// startListeners signs every listener in, a few at a time.
func (w *loadWorld) startListeners(tb testing.TB) []*loadListener {
	tb.Helper()
	ls := make([]*loadListener, len(w.pairs))
	errs := make([]error, len(w.pairs))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, p := range w.pairs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			ls[i], errs[i] = w.listenAs(ctx, p.listener)
		})
	}
	wg.Wait()
	for _, l := range ls {
		if l != nil {
			tb.Cleanup(l.close)
		}
	}
	for i, err := range errs {
		if err != nil {
			tb.Fatalf("%s: %v", w.pairs[i].listener, err)
		}
	}
	return ls
}

// checkDelivered fails the test unless every listener got exactly the
// message of its sender for round, within a few seconds of the senders'
// exit (they exit once the server acknowledged the message).
func (w *loadWorld) checkDelivered(tb testing.TB, ls []*loadListener, round int) int {
	tb.Helper()
	delivered := 0
	deadline := time.After(5 * time.Second)
	for i, l := range ls {
		want := w.pairs[i].sender + ": " + fmt.Sprintf("round %d", round)
		for !slices.Contains(l.received(), want) {
			select {
			case <-l.got:
			case <-deadline:
				tb.Errorf("%s: got %q, want %q", w.pairs[i].listener, l.received(), want)
				return delivered
			}
		}
		delivered++
	}
	return delivered
}

// TestAccountsAtOnce has atOnceAccountsCI accounts sign in, each for the first
// time with a single-use ticket, and send one message at once, each to a
// listening account of its own, through the real msn send run in process;
// every message must arrive and every send must exit 0.
func TestAccountsAtOnce(t *testing.T) {
	w := newLoadWorld(t, atOnceAccountsCI)
	ls := w.startListeners(t)
	res := w.sendAll(context.Background(), 1)
	for _, err := range res.errs {
		t.Error(err)
	}
	got := w.checkDelivered(t, ls, 1)
	t.Logf("%d/%d delivered in %v; msn send p50 %v, p99 %v", got, len(w.pairs), res.wall.Round(time.Millisecond),
		percentile(res.latencies, 50).Round(time.Millisecond), percentile(res.latencies, 99).Round(time.Millisecond))
}

// BenchmarkAccountsAtOnce is TestAccountsAtOnce timed: each iteration is
// atOnceAccounts msn send at once, in process, from accounts signing in with
// single-use tickets (the state each one caches is removed first, so every
// iteration signs in afresh). It reports the wall time of an iteration,
// the 50th and 99th percentiles of one msn send's time, and the CPU time
// the whole process spent on an iteration: the server's, the senders' and
// the listeners' together.
func BenchmarkAccountsAtOnce(b *testing.B) {
	w := newLoadWorld(b, atOnceAccounts)
	ls := w.startListeners(b)
	var lat []time.Duration
	var wall, cpu time.Duration
	cpuOK := true
	state := filepath.Join(w.dir, "state")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if err := os.RemoveAll(state); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		cpu0, ok := processCPU()
		res := w.sendAll(context.Background(), i)
		cpu1, _ := processCPU()
		cpu += cpu1 - cpu0
		cpuOK = cpuOK && ok
		if len(res.errs) > 0 {
			b.Fatal(res.errs[0])
		}
		wall += res.wall
		lat = append(lat, res.latencies...)
		b.StopTimer()
		w.checkDelivered(b, ls, i)
		b.StartTimer()
	}
	slices.Sort(lat)
	b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "wall-ms/op")
	if cpuOK {
		b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	}
	b.ReportMetric(float64(percentile(lat, 50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(lat, 99).Microseconds())/1000, "p99-ms")
}
