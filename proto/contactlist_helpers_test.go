package proto

import (
	"net"
	"sync/atomic"
	"testing"

	"msn/proto/msntest"
)

// countingConn counts the client's network writes.
type countingConn struct {
	net.Conn
	writes atomic.Int32
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// scriptedNS returns a notification connection signed in as
// alice@example.com, talking to script s over net.Pipe; the script's
// first line follows USR OK. At cleanup it closes the connection and
// fails the test if the script did not run to its end.
func scriptedNS(t testing.TB, p Protocol, s *msntest.Script) (*Notification, *eventLog, *countingConn) {
	t.Helper()
	client, server := net.Pipe()
	played := make(chan error, 1)
	go func() { played <- msntest.Play(server, s) }()
	log := &eventLog{}
	cc := &countingConn{Conn: client}
	n := newNotification(cc, p, Options{Handler: log.handle}, ReferralPolicy{})
	n.handle = "alice@example.com"
	t.Cleanup(func() {
		n.Close()
		if err := <-played; err != nil {
			t.Error(err)
		}
	})
	return n, log, cc
}

// listChanges returns the ListChange events in log.
func listChanges(log *eventLog) []*ListChange {
	var out []*ListChange
	for _, ev := range log.all() {
		if ch, ok := ev.(*ListChange); ok {
			out = append(out, ch)
		}
	}
	return out
}

// malformed returns the Malformed events in log.
func malformed(log *eventLog) []*Malformed {
	var out []*Malformed
	for _, ev := range log.all() {
		if m, ok := ev.(*Malformed); ok {
			out = append(out, m)
		}
	}
	return out
}
