package proto

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"msn/proto/msntest"
)

// A server that stops answering is noticed within the keep-alive
// interval plus the bounded wait for the ping's answer, as a temporary
// failure.
func TestKeepAliveNoticesSilenceWithinIntervalPlusWait(t *testing.T) {
	const interval, wait = 150 * time.Millisecond, 100 * time.Millisecond
	n, d := nsFromScript(t, `
C: PNG
S: QNG
C: PNG
C: EOF
`, Options{KeepAlive: interval, KeepAliveWait: wait})
	start := time.Now()
	var answered time.Time
	select {
	case <-n.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("keep-alive did not notice the silent server")
	}
	answered = start.Add(interval) // the first ping, answered at once
	if took := time.Since(answered); took > interval+wait+500*time.Millisecond {
		t.Fatalf("silence noticed %v after the last answer, want about %v", took, interval+wait)
	}
	if took := time.Since(start); took < 2*interval+wait-50*time.Millisecond {
		t.Fatalf("failed after %v: the answered ping was not waited for", took)
	}
	err := n.Err()
	if !errors.Is(err, ErrServerSilent) || errors.Is(err, ErrProtocol) {
		t.Fatalf("Err = %v, want ErrServerSilent and no protocol error", err)
	}
	if got := err.Error(); got != "proto: the server stopped answering (no answer to a keep-alive ping within 100ms)" {
		t.Errorf("Err = %q", got)
	}
	d.Check(t)
}

// A server that answers keeps the connection up across several pings.
func TestKeepAliveAnsweredStaysUp(t *testing.T) {
	var debug msntest.SyncBuffer
	n, d := nsFromScript(t, `
C: PNG
S: QNG
C: PNG
S: QNG
C: PNG
S: QNG
C: OUT
close
`, Options{KeepAlive: 100 * time.Millisecond, KeepAliveWait: time.Second, Debug: &debug})
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(debug.String(), "S: QNG") < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("three pings not answered:\n%s", debug.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := n.Err(); err != nil {
		t.Fatalf("Err = %v", err)
	}
	n.Logout(t.Context())
	d.Check(t)
}

// A server that stops reading holds the ping's write; the keep-alive
// still notices within the interval plus the wait, as a silent server.
func TestKeepAliveNotBlockedByAStalledWrite(t *testing.T) {
	client, server := net.Pipe() // nobody reads the server end
	defer server.Close()
	const interval, wait = 50 * time.Millisecond, 50 * time.Millisecond
	n := newNotification(client, MSNP8, Options{KeepAlive: interval, KeepAliveWait: wait}, ReferralPolicy{})
	defer n.Close()
	stalled := make(chan error, 1)
	go func() { // a write that stalls and holds the line for WriteTimeout
		stalled <- n.c.Send(context.Background(), &Command{Verb: "CHG", HasTrID: true, Args: []string{"NLN"}})
	}()
	start := time.Now()
	n.startKeepAlive()
	select {
	case <-n.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("keep-alive waited behind the stalled write")
	}
	if took := time.Since(start); took > interval+wait+time.Second {
		t.Fatalf("noticed after %v", took)
	}
	if err := n.Err(); !errors.Is(err, ErrServerSilent) {
		t.Fatalf("Err = %v, want ErrServerSilent", err)
	}
	<-stalled
}
