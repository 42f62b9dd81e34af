package keyring

import (
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gokeyring "github.com/zalando/go-keyring"
	"go.uber.org/goleak"

	"msn/proto/secret"
)

// yes is a session bus check that always finds a bus.
func yes() bool { return true }

// no is a session bus check that never finds a bus.
func no() bool { return false }

// countingProvider records calls and fails the test if it is used.
type countingProvider struct{ calls atomic.Int32 }

func (p *countingProvider) Get(string, string) (string, error) {
	p.calls.Add(1)
	return "", gokeyring.ErrNotFound
}
func (p *countingProvider) Set(string, string, string) error { p.calls.Add(1); return nil }
func (p *countingProvider) Delete(string, string) error      { p.calls.Add(1); return nil }

// blockingProvider blocks every call while blocking is set, until release
// is closed.
type blockingProvider struct {
	blocking atomic.Bool
	release  chan struct{}
}

func (p *blockingProvider) wait() {
	if p.blocking.Load() {
		<-p.release
	}
}
func (p *blockingProvider) Get(string, string) (string, error) {
	p.wait()
	return "", gokeyring.ErrNotFound
}
func (p *blockingProvider) Set(string, string, string) error { p.wait(); return nil }
func (p *blockingProvider) Delete(string, string) error      { p.wait(); return nil }

func TestModeNone(t *testing.T) {
	s, err := Open(Config{Mode: ModeNone, StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if s.Backend() != "none" || s.Warning() != "" {
		t.Fatalf("backend %q warning %q", s.Backend(), s.Warning())
	}
	if err := s.Account("a@example.com", testServer).SetTicket(Ticket{Value: secret.New("t=x&p=y"), Issued: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := s.Account("a@example.com", testServer).SetPassword(secret.New("pw")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Account("a@example.com", testServer).Ticket(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Ticket: %v", err)
	}
	if _, err := s.Account("a@example.com", testServer).Password(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Password: %v", err)
	}
	if s.Account("a@example.com", testServer).DeleteTicket() != nil || s.Account("a@example.com", testServer).DeletePassword() != nil {
		t.Fatal("delete failed")
	}
}

func TestNoSessionBusNeverTouchesKeyring(t *testing.T) {
	p := &countingProvider{}
	s, err := Open(Config{Mode: ModeAuto, StateDir: t.TempDir(), provider: p, busCheck: no})
	if err != nil {
		t.Fatal(err)
	}
	if s.Backend() != "none" || !strings.Contains(s.Warning(), "secrets are not saved") || !strings.Contains(s.Warning(), "D-Bus") {
		t.Fatalf("backend %q warning %q", s.Backend(), s.Warning())
	}
	_ = s.Account("a@example.com", testServer).SetPassword(secret.New("pw"))
	_, err = Open(Config{Mode: ModeSystem, StateDir: t.TempDir(), provider: p, busCheck: no})
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("system: %v", err)
	}
	if n := p.calls.Load(); n != 0 {
		t.Fatalf("keyring called %d times without a session bus", n)
	}
}

func TestSessionBusDetection(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "autolaunch:")
	if sessionBusPresent() {
		t.Fatal("autolaunch address counted as a bus")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
	if !sessionBusPresent() {
		t.Fatal("explicit address ignored")
	}
}

func TestSystemWithMock(t *testing.T) {
	gokeyring.MockInit()
	for _, mode := range []Mode{ModeSystem, ModeAuto} {
		s, err := Open(Config{Mode: mode, StateDir: t.TempDir(), busCheck: yes})
		if err != nil {
			t.Fatal(err)
		}
		if s.Backend() != "system" || s.Warning() != "" {
			t.Fatalf("backend %q warning %q", s.Backend(), s.Warning())
		}
		secretRoundTrip(t, s)
	}
	s, _ := Open(Config{Mode: ModeSystem, StateDir: t.TempDir(), busCheck: yes})
	for _, bad := range []string{"", "garbage", `{"v":""}`, `{"v":"t=a b"}`, `[1,2]`, `{"v":` + strings.Repeat("1", 3000) + `}`} {
		if err := gokeyring.Set(service, "c@example.com:ticket", bad); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Account("c@example.com", testServer).Ticket(); !errors.Is(err, ErrNotFound) {
			t.Fatalf("corrupt %.20q: %v", bad, err)
		}
	}
	if err := gokeyring.Set(service, "c@example.com:password", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Account("c@example.com", testServer).Password(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("empty password: %v", err)
	}
}

// secretRoundTrip stores, reads and deletes a ticket and a password.
func secretRoundTrip(t *testing.T, s *Store) {
	t.Helper()
	issued := time.Date(2026, 11, 22, 1, 2, 3, 0, time.UTC)
	tk := Ticket{Value: secret.New("t=5199a62a82c65f85fc36$!*&p=xyz"), Issued: issued}
	if err := s.Account("Alice@Example.com", testServer).SetTicket(tk); err != nil {
		t.Fatal(err)
	}
	got, err := s.Account("alice@example.COM", testServer).Ticket()
	if err != nil || got.Value.Reveal() != tk.Value.Reveal() || !got.Issued.Equal(issued) {
		t.Fatalf("Ticket = %+v, %v", got, err)
	}
	if err := s.Account("alice@example.com", testServer).SetPassword(secret.New(`p,w=d%'" ä`)); err != nil {
		t.Fatal(err)
	}
	if p, err := s.Account("ALICE@example.com", testServer).Password(); err != nil || p.Reveal() != `p,w=d%'" ä` {
		t.Fatalf("Password: %v", err)
	}
	if err := s.Account("alice@example.com", testServer).DeleteTicket(); err != nil {
		t.Fatal(err)
	}
	if err := s.Account("alice@example.com", testServer).DeleteTicket(); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := s.Account("alice@example.com", testServer).Ticket(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	if err := s.Account("alice@example.com", testServer).DeletePassword(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Account("alice@example.com", testServer).Password(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	big := Ticket{Value: secret.New(strings.Repeat("a", MaxEntry)), Issued: issued}
	if err := s.Account("alice@example.com", testServer).SetTicket(big); err == nil || strings.Contains(err.Error(), "aaaa") {
		t.Fatalf("oversized ticket: %v", err)
	}
	if err := s.Account("alice@example.com", testServer).SetPassword(secret.New(strings.Repeat("b", MaxEntry))); err == nil || strings.Contains(err.Error(), "bbbb") {
		t.Fatalf("oversized password: %v", err)
	}
	if _, err := s.Account("", testServer).Ticket(); err == nil {
		t.Fatal("empty account accepted")
	}
	if _, err := s.Account("a\nb", testServer).Ticket(); err == nil {
		t.Fatal("control character in account accepted")
	}
}

func TestProbeErrorMeansUnavailable(t *testing.T) {
	gokeyring.MockInitWithError(errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"))
	defer gokeyring.MockInit()
	s, err := Open(Config{Mode: ModeAuto, StateDir: t.TempDir(), busCheck: yes})
	if err != nil || s.Backend() != "none" || !strings.Contains(s.Warning(), "use --keyring file") {
		t.Fatalf("auto: %v %+v", err, s)
	}
	_, err = Open(Config{Mode: ModeSystem, StateDir: t.TempDir(), busCheck: yes})
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "failed to unlock") {
		t.Fatalf("system: %v", err)
	}
}

func TestTimeouts(t *testing.T) {
	leaks := goleak.IgnoreCurrent()
	p := &blockingProvider{release: make(chan struct{})}
	var once sync.Once
	release := func() { once.Do(func() { close(p.release) }) }
	defer release()

	p.blocking.Store(true)
	start := time.Now()
	s, err := Open(Config{Mode: ModeAuto, StateDir: t.TempDir(), Timeout: 50 * time.Millisecond, provider: p, busCheck: yes})
	if err != nil || s.Backend() != "none" || !strings.Contains(s.Warning(), "no answer within 50ms") {
		t.Fatalf("auto: %v %q", err, s.Warning())
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("probe took %v", d)
	}
	_, err = Open(Config{Mode: ModeSystem, StateDir: t.TempDir(), Timeout: 50 * time.Millisecond, provider: p, busCheck: yes})
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, ErrTimeout) {
		t.Fatalf("system: %v", err)
	}

	p.blocking.Store(false)
	s, err = Open(Config{Mode: ModeSystem, StateDir: t.TempDir(), Timeout: 50 * time.Millisecond, provider: p, busCheck: yes})
	if err != nil {
		t.Fatal(err)
	}
	p.blocking.Store(true)
	if _, err := s.Account("a@example.com", testServer).Ticket(); !errors.Is(err, ErrTimeout) {
		t.Fatalf("Ticket: %v", err)
	}
	start = time.Now()
	if err := s.Account("a@example.com", testServer).SetPassword(secret.New("pw")); !errors.Is(err, ErrTimeout) {
		t.Fatalf("SetPassword: %v", err)
	}
	if d := time.Since(start); d > 40*time.Millisecond {
		t.Fatalf("call after a timeout waited %v", d)
	}
	release()
	goleak.VerifyNone(t, leaks)
}

func TestUnknownMode(t *testing.T) {
	if _, err := Open(Config{Mode: "plaintext", StateDir: t.TempDir()}); err == nil {
		t.Fatal("unknown mode accepted")
	}
}

func TestDefaultStateDir(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/xdg/state")
	if d, _ := defaultStateDir(); d != "/xdg/state/msn" {
		t.Fatalf("dir = %q", d)
	}
	t.Setenv("XDG_STATE_HOME", "relative")
	t.Setenv("HOME", "/home/u")
	if d, _ := defaultStateDir(); d != "/home/u/.local/state/msn" {
		t.Fatalf("dir = %q", d)
	}
	t.Setenv("XDG_STATE_HOME", "")
	if d, _ := defaultStateDir(); d != "/home/u/.local/state/msn" {
		t.Fatalf("dir = %q", d)
	}
}
