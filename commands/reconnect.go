package commands

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"time"
)

// Bounds of --reconnect.
const (
	// reconnectFirst is the wait before the first new sign-in.
	reconnectFirst = time.Second
	// reconnectMax caps the wait between sign-ins.
	reconnectMax = 2 * time.Minute
	// reconnectSteady is how long a session must have lasted for the
	// next wait to start again from reconnectFirst.
	reconnectSteady = 5 * time.Minute
)

// lostSession marks an error that ended a long-running command's session
// from outside the command: the sign-in failed or the connection ended.
// With --reconnect, such an error is retried when it is temporary.
type lostSession struct{ err error }

// Error returns the underlying error's text.
func (e *lostSession) Error() string { return e.err.Error() }

// Unwrap returns the underlying error, which sets the exit status.
func (e *lostSession) Unwrap() error { return e.err }

// retryable reports whether signing in again may help: the session was
// lost to a timeout, a server that went away or could not be reached,
// not to a refusal (wrong password, signed in elsewhere).
func retryable(err error) bool {
	var lost *lostSession
	if !errors.As(err, &lost) {
		return false
	}
	switch ExitCode(err) {
	case ExTempFail, ExNoHost:
		return true
	}
	return false
}

// backoff is the wait between sign-ins: doubling from reconnectFirst up
// to reconnectMax, each wait drawn between half and all of it so that
// many clients do not return at once.
type backoff struct{ next time.Duration }

// wait returns the next wait.
func (b *backoff) wait() time.Duration {
	if b.next < reconnectFirst {
		b.next = reconnectFirst
	}
	d := b.next
	b.next = min(2*b.next, reconnectMax)
	return d/2 + rand.N(d/2+1)
}

// reset starts the waits again from the shortest.
func (b *backoff) reset() { b.next = 0 }

// reconnecting runs session until it returns; with on, a session lost
// to a temporary failure is started again after a backoff, warning on
// stderr each time. An interrupt during the wait returns ctx's error.
func (e *Env) reconnecting(ctx context.Context, on bool, cmd string, session func(context.Context) error) error {
	var b backoff
	for {
		start := time.Now()
		err := session(ctx)
		if !on || err == nil || ctx.Err() != nil || !retryable(err) {
			return err
		}
		if time.Since(start) >= reconnectSteady {
			b.reset()
		}
		d := b.wait()
		msg := err.Error()
		if !strings.HasPrefix(msg, cmd+":") {
			msg = cmd + ": " + msg
		}
		e.Warnf("%s; signing in again in %s", msg, d.Round(100*time.Millisecond))
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}
