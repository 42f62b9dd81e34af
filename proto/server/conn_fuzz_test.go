package server_test

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"msn/proto/server"
)

// fuzzStep bounds each read and write of the server fuzz target.
const fuzzStep = 2 * time.Second

// fuzzClient is a raw MSNP connection for the fuzz target, which cannot
// use the harness's client: that one is tied to one *testing.T.
type fuzzClient struct {
	nc net.Conn
	br *bufio.Reader
}

func fuzzDial(addr string) (*fuzzClient, error) {
	nc, err := net.DialTimeout("tcp", addr, fuzzStep)
	if err != nil {
		return nil, err
	}
	return &fuzzClient{nc: nc, br: bufio.NewReader(nc)}, nil
}

func (c *fuzzClient) send(line string) error {
	c.nc.SetWriteDeadline(time.Now().Add(fuzzStep))
	_, err := io.WriteString(c.nc, line+"\r\n")
	return err
}

// until reads lines until one starts with prefix, and returns it.
func (c *fuzzClient) until(prefix string) (string, error) {
	c.nc.SetReadDeadline(time.Now().Add(fuzzStep))
	for {
		l, err := c.br.ReadString('\n')
		if err != nil {
			return "", fmt.Errorf("waiting for %q: %w", prefix, err)
		}
		if strings.HasPrefix(l, prefix) {
			return strings.TrimSuffix(l, "\r\n"), nil
		}
	}
}

// login7 signs email in with MSNP7 and MD5.
func login7(addr, email, pwd string) (*fuzzClient, error) {
	c, err := fuzzDial(addr)
	if err != nil {
		return nil, err
	}
	for _, l := range []string{"VER 1 MSNP7 CVR0", "CVR 2 0x0409 win 4.10 i386 MSNMSGR 4.7.2009 MSMSGS " + email, "USR 3 MD5 I " + email} {
		if err := c.send(l); err != nil {
			c.nc.Close()
			return nil, err
		}
	}
	usr, err := c.until("USR 3 ")
	f := strings.Fields(usr)
	if err != nil || len(f) != 5 {
		c.nc.Close()
		return nil, fmt.Errorf("USR MD5 I: %q, %v", usr, err)
	}
	sum := md5.Sum([]byte(f[4] + pwd))
	if err := c.send("USR 4 MD5 S " + hex.EncodeToString(sum[:])); err != nil {
		c.nc.Close()
		return nil, err
	}
	if _, err := c.until("USR 4 OK "); err != nil {
		c.nc.Close()
		return nil, err
	}
	return c, nil
}

// FuzzServerConnection sends fuzzer bytes to the local server on a raw
// notification connection, on one signed in as alice, or on a
// switchboard alice signed in to. Whatever arrives, the server must not
// crash, must answer with lines within the limits that hold no password,
// and must go on serving bob, who is signed in all along, and new
// clients.
func FuzzServerConnection(f *testing.F) {
	for _, s := range []struct {
		where uint8
		data  string
	}{
		{0, "VER 1 MSNP8 CVR0\r\nCVR 2 0x0409 win 4.10 i386 MSNMSGR 5.0.0544 MSMSGS a@b.c\r\nUSR 3 TWN I a@b.c\r\n"},
		{0, "ILN 9 NLN a@b.com " + strings.Repeat("A", 20000)},
		{0, "\r\n\r\n"},
		{0, "VER 1 MSNP8 CVR0\n\x00\xff\r\n"},
		{0, "USR 1 MD5 S " + strings.Repeat("9", 100) + "\r\n"},
		{1, "SYN 5 0\r\nCHG 6 NLN 0\r\nADD 7 FL bob@example.com Bob\r\nXFR 8 SB\r\nREA 9 alice@example.com " + strings.Repeat("%41", 400) + "\r\n"},
		{1, "MSG 5 N 99999999\r\n"},
		{1, "QRY 5 msmsgs@msnmsgr.com 32\r\n0123456789abcdef0123456789abcdef"},
		{1, "ADD 5 BL bob@example.com bob@example.com\r\nREM 6 AL bob@example.com\r\nADG 7 %ZZ 0\r\nRMG 8 -1\r\n"},
		{1, strings.Repeat("PNG\r\n", 2000)},
		{1, "OUT\r\n"},
		{2, "CAL 2 bob@example.com\r\nMSG 3 A 5\r\nhello"},
		{2, "MSG 3 A 70000\r\n"},
		{2, "MSG 3 A -1\r\n"},
		{2, "CAL 2 alice@example.com\r\nCAL 3 nobody@example.com\r\nCAL 4 " + strings.Repeat("x", 300) + "\r\n"},
		{2, "ANS 1 alice@example.com 1 1\r\nOUT\r\n"},
	} {
		f.Add(s.where, []byte(s.data))
	}
	srv, err := server.New(server.Config{Accounts: server.DemoAccounts()})
	if err != nil {
		f.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { srv.Close() })
	bob, err := login7(srv.NSAddr(), "bob@example.com", "bobpass")
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { bob.nc.Close() })

	f.Fuzz(func(t *testing.T, where uint8, data []byte) {
		target, cleanup, err := fuzzTarget(srv, where%3)
		if err != nil {
			t.Fatal(err)
		}
		defer cleanup()
		out := make(chan []byte, 1)
		go func() {
			// The server may close before it has read everything.
			b, _ := readAll(target.nc, target.br)
			out <- b
		}()
		target.nc.SetWriteDeadline(time.Now().Add(fuzzStep))
		target.nc.Write(data)
		target.nc.(*net.TCPConn).CloseWrite()
		replies := <-out
		for _, l := range bytes.Split(replies, []byte("\r\n")) {
			if len(l) > 16<<10 {
				t.Fatalf("a reply of %d bytes", len(l))
			}
		}
		for _, pw := range []string{"alicepass", "bobpass"} {
			if bytes.Contains(replies, []byte(pw)) {
				t.Fatalf("a reply holds a password")
			}
		}
		// bob's session goes on: the server answers his ping.
		if err := bob.send("PNG"); err != nil {
			t.Fatalf("bob: %v", err)
		}
		if _, err := bob.until("QNG"); err != nil {
			t.Fatalf("bob: %v", err)
		}
		// A new client is served.
		c, err := fuzzDial(srv.NSAddr())
		if err != nil {
			t.Fatal(err)
		}
		defer c.nc.Close()
		if err := c.send("VER 1 MSNP8 CVR0"); err != nil {
			t.Fatal(err)
		}
		if l, err := c.until("VER 1 "); err != nil || !strings.HasPrefix(l, "VER 1 MSNP8") {
			t.Fatalf("new client: %q, %v", l, err)
		}
	})
}

// fuzzTarget opens the connection the fuzzer's bytes go to: 0 a raw
// notification connection, 1 one signed in as alice, 2 a switchboard
// alice signed in to.
func fuzzTarget(srv *server.Server, where uint8) (*fuzzClient, func(), error) {
	if where == 0 {
		c, err := fuzzDial(srv.NSAddr())
		if err != nil {
			return nil, nil, err
		}
		return c, func() { c.nc.Close() }, nil
	}
	alice, err := login7(srv.NSAddr(), "alice@example.com", "alicepass")
	if err != nil {
		return nil, nil, err
	}
	if where == 1 {
		return alice, func() { alice.nc.Close() }, nil
	}
	if err := alice.send("XFR 5 SB"); err != nil {
		alice.nc.Close()
		return nil, nil, err
	}
	xfr, err := alice.until("XFR 5 SB ")
	f := strings.Fields(xfr)
	if err != nil || len(f) < 6 {
		alice.nc.Close()
		return nil, nil, fmt.Errorf("XFR SB: %q, %v", xfr, err)
	}
	sb, err := fuzzDial(f[3])
	if err == nil {
		if err = sb.send("USR 1 alice@example.com " + f[5]); err == nil {
			_, err = sb.until("USR 1 OK ")
		}
		if err != nil {
			sb.nc.Close()
		}
	}
	if err != nil {
		alice.nc.Close()
		return nil, nil, err
	}
	return sb, func() { sb.nc.Close(); alice.nc.Close() }, nil
}

// readAll reads what the server sends until it closes the connection or
// is silent for 200 ms, at most 1 MiB.
func readAll(nc net.Conn, br *bufio.Reader) ([]byte, error) {
	var out bytes.Buffer
	buf := make([]byte, 4096)
	for out.Len() < 1<<20 {
		nc.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
		n, err := br.Read(buf)
		out.Write(buf[:n])
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return out.Bytes(), nil
		}
		if err != nil {
			return out.Bytes(), err
		}
	}
	return out.Bytes(), nil
}
