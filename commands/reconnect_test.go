package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"msn/proto"
)

func TestBackoffDoublesWithJitterUpToTheCap(t *testing.T) {
	var b backoff
	want := reconnectFirst
	for i := range 12 {
		d := b.wait()
		if d < want/2 || d > want {
			t.Fatalf("wait %d = %s, want between %s and %s", i, d, want/2, want)
		}
		want = min(2*want, reconnectMax)
	}
	b.reset()
	if d := b.wait(); d > reconnectFirst {
		t.Fatalf("after reset: %s, want at most %s", d, reconnectFirst)
	}
}

func TestRetryableOnlyForALostSessionThatMayComeBack(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&lostSession{err: proto.ErrServerShutdown}, true},
		{&lostSession{err: fmt.Errorf("wrap: %w", context.DeadlineExceeded)}, true},
		{&lostSession{err: &codedError{code: ExNoHost, err: errors.New("unreachable")}}, true},
		{&lostSession{err: proto.ErrSignedInElsewhere}, false},
		{&lostSession{err: proto.ErrAuthFailed}, false},
		{&codedError{code: ExTempFail, err: errors.New("no message within --idle")}, false},
	} {
		if got := retryable(tc.err); got != tc.want {
			t.Errorf("retryable(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestReconnectingStopsAtAnInterruptDuringTheWait(t *testing.T) {
	env := &Env{Stdout: &strings.Builder{}, Stderr: &strings.Builder{}}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	runs := 0
	err := env.reconnecting(ctx, true, "listen", func(context.Context) error {
		runs++
		time.AfterFunc(20*time.Millisecond, cancel) // during the wait, which is at least half a second
		return &lostSession{err: proto.ErrServerShutdown}
	})
	if runs != 1 || !errors.Is(err, context.Canceled) {
		t.Fatalf("runs %d, err %v; want 1 run ending with context.Canceled", runs, err)
	}
}
