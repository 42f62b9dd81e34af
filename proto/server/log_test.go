package server_test

import (
	"strings"
	"testing"

	"msn/proto/msntest"
	"msn/proto/server"
)

func TestWireLogHidesSecrets(t *testing.T) {
	var log msntest.SyncBuffer
	w := newWorld(t, server.Config{Log: &log})
	tk, _ := w.login("alice@example.com", "alicepass")
	c := w.presentTicket("alice@example.com", tk)
	c.expect("USR 3 OK alice@example.com Alice 1 0")
	c.send("OUT")
	c.expect("OUT")
	c.expectClosed()
	w.close()
	out := log.String()
	if !strings.Contains(out, "C> USR 3 TWN S [REDACTED]") || !strings.Contains(out, "S< USR 3 OK") {
		t.Fatalf("log:\n%s", out)
	}
	if strings.Contains(out, tk) || strings.Contains(out, "alicepass") {
		t.Fatalf("secret in log:\n%s", out)
	}
}
