package server_test

import (
	"testing"
	"time"

	"msn/proto/server"
)

// TestStatsCounts checks the counters against an exchange whose lines and
// bytes are known: a Passport login, then a notification connection that
// says VER and leaves, and a dispatch connection that is referred.
func TestStatsCounts(t *testing.T) {
	w := newWorld(t, server.Config{Dispatch: true})
	before := w.srv.Stats()
	if _, code := w.login("alice@example.com", "alicepass"); code != 200 {
		t.Fatalf("login: %d", code)
	}
	w.http.CloseIdleConnections()

	ns := w.dial(w.srv.NSAddr())
	ns.send("VER 1 MSNP8 CVR0")
	ns.expect("VER 1 MSNP8")
	ns.send("OUT")
	ns.expect("OUT")
	ns.expectClosed()

	ds := w.dial(w.srv.DSAddr())
	ds.send("VER 1 MSNP8 CVR0")
	ds.expect("VER 1 MSNP8")
	ds.nc.Close()

	d := waitClosed(t, w.srv, before)
	if d.Login != 1 || d.Nexus != 0 {
		t.Errorf("Passport requests: nexus %d, login %d; want 0 and 1", d.Nexus, d.Login)
	}
	if d.HTTPS.Accepted != 1 || d.HTTPS.BytesIn == 0 || d.HTTPS.BytesOut == 0 {
		t.Errorf("HTTPS: %+v; want one connection with bytes each way", d.HTTPS)
	}
	want := server.ConnStats{Accepted: 1, LinesIn: 2, LinesOut: 2,
		BytesIn: int64(len("VER 1 MSNP8 CVR0\r\nOUT\r\n")), BytesOut: int64(len("VER 1 MSNP8\r\nOUT\r\n"))}
	if d.NS != want {
		t.Errorf("NS: %+v, want %+v", d.NS, want)
	}
	want = server.ConnStats{Accepted: 1, LinesIn: 1, LinesOut: 1,
		BytesIn: int64(len("VER 1 MSNP8 CVR0\r\n")), BytesOut: int64(len("VER 1 MSNP8\r\n"))}
	if d.DS != want {
		t.Errorf("DS: %+v, want %+v", d.DS, want)
	}
	if d.SB != (server.ConnStats{}) {
		t.Errorf("SB: %+v, want nothing", d.SB)
	}
	if tot := d.Total(); tot.Accepted != 3 || tot.LinesIn != 3 {
		t.Errorf("Total: %+v, want 3 connections and 3 lines in", tot)
	}
}

// waitClosed waits until no connection counted by srv is open, then
// returns the counts since before.
func waitClosed(t *testing.T, srv *server.Server, before server.Stats) server.Stats {
	t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for {
		d := srv.Stats().Sub(before)
		if d.Total().Open == 0 {
			return d
		}
		if time.Now().After(deadline) {
			t.Fatalf("connections still open: %+v", d)
		}
		time.Sleep(time.Millisecond)
	}
}
