package session

import (
	"context"
	"sync"

	"msn/proto/secret"
)

// lazyPassword reads the password at most once, and only when asked.
type lazyPassword struct {
	read PasswordFunc // nil: there is no password source

	mu          sync.Mutex
	done        bool
	pw          secret.String
	fromKeyring bool
	err         error
}

// get is the proto.LoginConfig.Password function.
func (l *lazyPassword) get(ctx context.Context) (secret.String, error) {
	pw, _, err := l.value(ctx)
	return pw, err
}

// value reads the password on first use and returns the same result
// afterwards.
func (l *lazyPassword) value(ctx context.Context) (secret.String, bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.done {
		if l.read == nil {
			l.err = ErrNoPasswordSource
		} else {
			l.pw, l.fromKeyring, l.err = l.read(ctx)
		}
		l.done = true
	}
	return l.pw, l.fromKeyring, l.err
}

// usedKeyring reports whether the password came from the keyring.
func (l *lazyPassword) usedKeyring() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.done && l.err == nil && l.fromKeyring
}
