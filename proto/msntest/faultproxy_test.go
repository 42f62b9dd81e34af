package msntest

import (
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// faultTarget serves each connection by writing chunks, a few
// milliseconds apart, and then reading until the end; got receives
// what it read.
func faultTarget(t *testing.T, chunks ...string) (addr string, got <-chan string) {
	t.Helper()
	read := make(chan string, 4)
	addr, stop, err := ServeTCP(5*time.Second, func(c net.Conn) {
		for _, s := range chunks {
			time.Sleep(5 * time.Millisecond)
			if _, err := c.Write([]byte(s)); err != nil {
				break
			}
		}
		b, _ := io.ReadAll(c)
		read <- string(b)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return addr, read
}

// readAll reads c until it ends or a second passes, and returns what
// came, how long it took, and how it ended.
func readAll(c net.Conn) (string, time.Duration, error) {
	start := time.Now()
	_ = c.SetReadDeadline(start.Add(time.Second))
	b, err := io.ReadAll(c)
	return string(b), time.Since(start), err
}

func TestFaultProxy(t *testing.T) {
	for _, tc := range []struct {
		name    string
		chunks  []string
		send    string // written by the client, which then half-closes
		rule    Rule
		conn    int    // the connection to check (the earlier ones are read and closed)
		client  string // what the client must receive
		ending  string // "eof", "reset" or "stall"
		server  string // what the server must receive
		atLeast time.Duration
	}{
		{name: "cut s2c on a line", chunks: []string{"VER 1 MSNP8\r\nUSR 2 OK\r\nCHG 3\r\n"},
			rule:   Rule{Fault: Cut, Dir: ServerToClient, On: "USR "},
			client: "VER 1 MSNP8\r\nUSR 2", ending: "eof"},
		{name: "cut on a line split across reads", chunks: []string{"VER 1\r\nUS", "R 2 OK\r\n"},
			rule:   Rule{Fault: Cut, Dir: ServerToClient, On: "USR "},
			client: "VER 1\r\nUSR 2", ending: "eof"},
		{name: "prefix not at a line start", chunks: []string{"A USR 1\r\nUSR 2 OK\r\n"},
			rule:   Rule{Fault: Truncate, Dir: ServerToClient, On: "USR "},
			client: "A USR 1\r\n", ending: "eof"},
		{name: "truncate c2s at a byte", send: "abcdefgh",
			rule: Rule{Fault: Truncate, Dir: ClientToServer, At: 5}, ending: "eof", server: "abcde"},
		{name: "reset s2c", chunks: []string{"hello\r\n"},
			rule: Rule{Fault: Reset, Dir: ServerToClient, At: 0}, ending: "reset"},
		{name: "stall on the second match", chunks: []string{"MSG a\r\n", "MSG b\r\n"},
			rule:   Rule{Fault: Stall, Dir: ServerToClient, On: "MSG ", Nth: 2},
			client: "MSG a\r\n", ending: "stall"},
		{name: "drip", chunks: []string{"abcdef"},
			rule:   Rule{Fault: Drip, Dir: ServerToClient, At: 3, Interval: 10 * time.Millisecond},
			client: "abcdef", ending: "eof", atLeast: 30 * time.Millisecond},
		{name: "second connection only", chunks: []string{"one\r\ntwo\r\n"},
			rule: Rule{Fault: Truncate, Dir: ServerToClient, On: "two", Conn: 2}, conn: 2,
			client: "one\r\n", ending: "eof"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			t.Cleanup(func() { goleak.VerifyNone(t, ignore) }) // after the target stops
			addr, got := faultTarget(t, tc.chunks...)
			p, err := NewFaultProxy("", tc.rule)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			p.SetTarget(addr)
			for n := 1; n < tc.conn; n++ {
				c, err := net.Dial("tcp", p.Addr())
				if err != nil {
					t.Fatal(err)
				}
				c.(*net.TCPConn).CloseWrite()
				if b, _, _ := readAll(c); b != "one\r\ntwo\r\n" {
					t.Errorf("connection %d got %q, want everything", n, b)
				}
				c.Close()
				<-got
			}
			c, err := net.Dial("tcp", p.Addr())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if _, err := c.Write([]byte(tc.send)); err != nil {
				t.Fatal(err)
			}
			if tc.ending == "eof" { // a stall must not be ended by the target
				c.(*net.TCPConn).CloseWrite()
			}
			b, took, err := readAll(c)
			if b != tc.client {
				t.Errorf("client got %q, want %q", b, tc.client)
			}
			var ending string
			switch {
			case err == nil:
				ending = "eof"
			case errors.Is(err, syscall.ECONNRESET):
				ending = "reset"
			case errors.Is(err, os.ErrDeadlineExceeded):
				ending = "stall"
			}
			if ending != tc.ending {
				t.Errorf("the client's read ended with %v, want %s", err, tc.ending)
			}
			if took < tc.atLeast {
				t.Errorf("took %v, want at least %v", took, tc.atLeast)
			}
			c.Close()
			if tc.server != "" {
				select {
				case s := <-got:
					if s != tc.server {
						t.Errorf("server got %q, want %q", s, tc.server)
					}
				case <-time.After(2 * time.Second):
					t.Error("the server's connection did not end")
				}
			}
			if p.Fired() != 1 || p.FirstFault().IsZero() {
				t.Errorf("fired %d faults (the first at %v), want 1", p.Fired(), p.FirstFault())
			}
		})
	}
}
