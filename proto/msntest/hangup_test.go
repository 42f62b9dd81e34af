package msntest

import (
	"testing"
	"time"
)

// TestRoundsIgnoreAnswersAfterHangUp checks that what the server sends
// after the client has closed its connection (the answer to a goodbye
// the client did not wait for) is not counted, however long after the
// client's exit the count is read.
func TestRoundsIgnoreAnswersAfterHangUp(t *testing.T) {
	target := echoServer(t)
	p, err := NewLatencyProxy(target, 10*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	c := dialRounds(t, p)
	c.ask("VER")
	wantRounds(t, p.Clock(), 2, "a connect and one exchange")
	if _, err := c.nc.Write([]byte("OUT\n")); err != nil {
		t.Fatal(err)
	}
	c.nc.Close()
	deadline := time.Now().Add(2 * time.Second)
	for !p.idle() {
		if time.Now().After(deadline) {
			t.Fatal("the proxy's connections did not end")
		}
		time.Sleep(time.Millisecond)
	}
	wantRounds(t, p.Clock(), 2, "a goodbye whose answer came after the client hung up")
}
