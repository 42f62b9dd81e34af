package server_test

import (
	"bufio"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"msn/proto/server"
)

// longListSize is the number of contacts of the long-list tests: the most
// an MSN account could hold.
const longListSize = 5000

// contactAccounts returns n accounts c0000@example.com..., and an account
// email (password pwd) that has all of them as contacts.
func contactAccounts(email, pwd string, n int) []server.Account {
	accts := make([]server.Account, 0, n+1)
	var contacts []string
	for i := range n {
		c := fmt.Sprintf("c%04d@example.com", i)
		contacts = append(contacts, c)
		accts = append(accts, server.Account{Email: c, Password: "pw" + strconv.Itoa(i)})
	}
	return append(accts, server.Account{Email: email, Password: pwd, Contacts: contacts})
}

// TestLongListSync has the server send a list of 5,000 contacts, far more
// lines than a connection's queue holds replies, to a client that reads
// it: the whole list arrives, in order, and the connection stays open.
func TestLongListSync(t *testing.T) {
	accts := append(server.DemoAccounts(), contactAccounts("erin@example.com", "erinpass", longListSize)...)
	w := newWorld(t, server.Config{Accounts: accts})
	tk := w.ticket(t, "erin@example.com", "erinpass")
	c := w.presentTicket("erin@example.com", tk)
	c.expectPrefix("USR 3 OK erin@example.com ")
	c.send("SYN 4 0")
	c.expect(fmt.Sprintf("SYN 4 1 %d 1", longListSize))
	c.expect("GTC A")
	c.expect("BLP AL")
	c.expect("LSG 0 Other%20Contacts 0")
	for i := range longListSize {
		c.expect(fmt.Sprintf("LST c%04d@example.com c%04d 3 0", i, i))
	}
	c.send("PNG")
	c.expect("QNG")
}

// TestLongListSyncMSNP7 is TestLongListSync in the MSNP7 form, where
// every list is sent apart: the forward and allow lists of 5,000 each.
func TestLongListSyncMSNP7(t *testing.T) {
	accts := append(server.DemoAccounts(), contactAccounts("erin@example.com", "erinpass", longListSize)...)
	w := newWorld(t, server.Config{Accounts: accts})
	c := w.dial(w.srv.NSAddr())
	c.send("VER 1 MSNP7 CVR0")
	c.expect("VER 1 MSNP7")
	c.send("USR 3 MD5 I erin@example.com")
	salt := c.expectPrefix("USR 3 MD5 S ")
	c.send("USR 4 MD5 S " + md5Hex(salt+"erinpass"))
	c.expectPrefix("USR 4 OK erin@example.com ")
	c.send("SYN 5 0")
	c.expect("SYN 5 1")
	c.expect("LSG 5 1 1 1 0 Other%20Contacts 0")
	for _, l := range []string{"FL", "AL"} {
		for i := range longListSize {
			want := fmt.Sprintf("LST 5 %s 1 %d %d c%04d@example.com c%04d", l, i+1, longListSize, i, i)
			if l == "FL" {
				want += " 0"
			}
			c.expect(want)
		}
	}
	c.expect("LST 5 BL 1 0 0")
	c.expect("LST 5 RL 1 0 0")
	c.expect("GTC 5 1 A")
	c.expect("BLP 5 1 AL")
	c.send("PNG")
	c.expect("QNG")
}

// TestAbuseUnreadListRequests has a client with 5,000 contacts ask for
// its whole list again and again without reading: each reply takes one
// place in its queue, but their bytes do not fit, and the client is
// dropped while alice and bob go on undisturbed.
func TestAbuseUnreadListRequests(t *testing.T) {
	w, p := abuseWorldWith(t, func(s *server.Server) {
		for _, a := range contactAccounts("erin@example.com", "erinpass", longListSize) {
			if a.Email != "erin@example.com" {
				a.Name = a.Email[:5] + strings.Repeat("n", 280) // long names, long replies
			}
			if err := s.AddAccount(a); err != nil {
				t.Fatal(err)
			}
		}
	})
	// A small receive buffer, so that the replies stay with the server
	// rather than in the kernel (which on loopback may hold tens of
	// megabytes for a connection).
	d := net.Dialer{Timeout: stepTimeout, Control: smallReceiveBuffer(16 << 10)}
	nc, err := d.Dial("tcp", w.srv.NSAddr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	c := &client{t: t, nc: nc, br: bufio.NewReader(nc)}
	c.send("VER 1 MSNP8 CVR0")
	c.expect("VER 1 MSNP8")
	c.send("USR 2 TWN I erin@example.com")
	c.expectPrefix("USR 2 TWN S ")
	c.send("USR 3 TWN S " + w.ticket(t, "erin@example.com", "erinpass"))
	c.expectPrefix("USR 3 OK erin@example.com ")
	// 24 MB of replies (1.5 MB each): more than the kernel's buffers and
	// the queue's bytes together. Then a request alice would hear of.
	const requests = 16
	var b strings.Builder
	for i := range requests {
		fmt.Fprintf(&b, "SYN %d 0\r\n", 10+i)
	}
	b.WriteString("ADD 99 FL alice@example.com alice\r\n")
	c.nc.SetWriteDeadline(time.Now().Add(stepTimeout))
	c.nc.Write([]byte(b.String())) // fails if the server has dropped c already

	// Dropped once the replies filled the kernel's buffers and the
	// queue's bytes, before the last request was read: alice hears
	// nothing. (A server that kept queueing would act on it, and alice
	// would hear of it, before its write timeout dropped the client.)
	deadline := time.Now().Add(5 * stepTimeout)
	for w.srv.Online("erin@example.com") {
		if time.Now().After(deadline) {
			t.Fatal("the server kept a client that does not read")
		}
		time.Sleep(10 * time.Millisecond)
	}
	p.alice.quiet()
	p.check(t)
	c.nc.SetReadDeadline(time.Now().Add(stepTimeout))
	n, _ := io.Copy(io.Discard, c.nc)
	if full := int64(requests) * 300 * longListSize; n >= full {
		t.Errorf("read %d bytes, every reply (%d): the client was not dropped", n, full)
	}
}

// md5Hex is the MSNP7 answer to a salt: the hex MD5 of salt and password.
func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}
