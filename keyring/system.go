package keyring

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	gokeyring "github.com/zalando/go-keyring"
)

// probeUser is the entry read once by Open to see whether the system
// keyring answers; it is never written.
const probeUser = "msn-probe"

// provider is the part of go-keyring the package uses.
type provider interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

// goKeyring calls the go-keyring package functions.
type goKeyring struct{}

func (goKeyring) Get(s, u string) (string, error) { return gokeyring.Get(s, u) }
func (goKeyring) Set(s, u, p string) error        { return gokeyring.Set(s, u, p) }
func (goKeyring) Delete(s, u string) error        { return gokeyring.Delete(s, u) }

// systemBackend runs each provider call in a goroutine bounded by timeout.
// go-keyring cannot be cancelled: a call that times out keeps its
// goroutine until the provider returns (its result is dropped into a
// buffered channel), and every later call fails at once with ErrTimeout so
// that a hung keyring does not pile up goroutines.
type systemBackend struct {
	p       provider
	timeout time.Duration
	mu      sync.Mutex
	stuck   bool
}

// result is one provider answer.
type result struct {
	v   string
	err error
}

// openSystem checks for a session bus, then probes the keyring. On failure
// it returns a short reason for the warning and an error wrapping
// ErrUnavailable.
func openSystem(cfg Config, timeout time.Duration) (*systemBackend, string, error) {
	busCheck := cfg.busCheck
	if busCheck == nil {
		busCheck = sessionBusPresent
	}
	if !busCheck() {
		return nil, "no D-Bus session bus", fmt.Errorf("%w: no d-bus session bus", ErrUnavailable)
	}
	p := cfg.provider
	if p == nil {
		p = goKeyring{}
	}
	b := &systemBackend{p: p, timeout: timeout}
	_, err := b.get(probeUser)
	switch {
	case err == nil || errors.Is(err, ErrNotFound):
		return b, "", nil
	case errors.Is(err, ErrTimeout):
		return nil, "no answer within " + timeout.String(), fmt.Errorf("%w: %w", ErrUnavailable, err)
	default:
		return nil, "secret service unavailable", err
	}
}

// call runs f under the timeout.
func (b *systemBackend) call(f func() (string, error)) (string, error) {
	b.mu.Lock()
	stuck := b.stuck
	b.mu.Unlock()
	if stuck {
		return "", ErrTimeout
	}
	ch := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				ch <- result{err: fmt.Errorf("%w: provider panicked", ErrUnavailable)}
			}
		}()
		v, err := f()
		ch <- result{v, err}
	}()
	t := time.NewTimer(b.timeout)
	defer t.Stop()
	select {
	case r := <-ch:
		return r.v, mapError(r.err)
	case <-t.C:
		b.mu.Lock()
		b.stuck = true
		b.mu.Unlock()
		return "", fmt.Errorf("%w after %s", ErrTimeout, b.timeout)
	}
}

func (b *systemBackend) get(user string) (string, error) {
	return b.call(func() (string, error) { return b.p.Get(service, user) })
}

func (b *systemBackend) set(user, value string) error {
	_, err := b.call(func() (string, error) { return "", b.p.Set(service, user, value) })
	return err
}

func (b *systemBackend) delete(user string) error {
	_, err := b.call(func() (string, error) { return "", b.p.Delete(service, user) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// mapError turns go-keyring errors into the package's: not found stays
// not found, too big is errTooLarge, anything else means unavailable.
func mapError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gokeyring.ErrNotFound):
		return ErrNotFound
	case errors.Is(err, gokeyring.ErrSetDataTooBig):
		return errTooLarge
	default:
		return fmt.Errorf("%w: %s", ErrUnavailable, cleanReason(err.Error()))
	}
}

// cleanReason bounds a provider's error text and drops control characters.
func cleanReason(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "..."
	}
	return s
}
