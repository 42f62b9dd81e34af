package proto

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"msn/proto/internal/engine"
	"msn/proto/msntest"
	"msn/proto/passport"
	"msn/proto/secret"
)

// fuzzLogins are valid sign-ins, one answer per client line, MSNP7 with
// MD5 and MSNP8 with a cached ticket; a fuzzed session starts after the
// first few of them.
var fuzzLogins = map[Protocol][]string{
	MSNP7: {
		"VER $T MSNP7\r\n",
		"CVR $T 4.7.2009 4.7.2009 4.7.2009 https://x https://x\r\n",
		"USR $T MD5 S eeac57e74d0a4b7\r\n",
		"USR $T OK bob@example.com Bob\r\n",
	},
	MSNP8: {
		"VER $T MSNP8\r\n",
		"CVR $T 5.0.0544 5.0.0544 5.0.0544 https://x https://x\r\n",
		"USR $T TWN S ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1\r\n",
		"USR $T OK bob@example.com Bob 1 0\r\n",
	},
}

// sessionDeadline bounds a whole fuzzed session; sessionGrace is how
// much later than that it must have returned.
const (
	sessionDeadline = 3 * time.Second
	sessionGrace    = 2 * time.Second
)

// FuzzNotificationSession runs a whole notification-server session (an
// MSNP7 or MSNP8 sign-in, list sync, presence, a switchboard request, sign-out) against
// a server that answers each client line with the next chunk of fuzzer
// bytes, after the first depth lines of a valid sign-in. The session
// must return within its deadline, leave no goroutine behind, fail only
// with a classified error, and keep what it kept within the limits.
func FuzzNotificationSession(f *testing.F) {
	sep := msntest.ChunkSeparator
	// depth: the low bits count the valid answers before the fuzzer's,
	// the high bit picks MSNP8.
	const p8 = 0x80
	syn7 := "SYN $T 5\r\nGTC $T 5 A\r\nBLP $T 5 AL\r\nLSG $T 5 1 1 0 Other%20Contacts 0\r\nLST $T FL 5 1 1 a@b.com A 0\r\n" + sep + "QNG 50\r\n"
	syn8 := "SYN $T 5 1 1\r\nGTC A\r\nBLP AL\r\nLSG 0 Other%20Contacts 0\r\nLST a@b.com A 11 0\r\n"
	rest := sep + "CHG $T NLN 0\r\n" + sep + "XFR $T SB 10.0.0.3:1864 CKI 1.2.3\r\n" + sep + "OUT\r\n"
	for _, s := range []struct {
		depth uint8
		data  string
	}{
		{4, syn7 + rest},
		{4 | p8, syn8 + rest},
		{4, syn7 + sep + "CHG $T NLN 0\r\n" + sep + "XFR $T SB 127.0.0.1:1 CKI x\r\n"},
		{4 | p8, syn8 + sep + "CHG $T NLN 0\r\n" + sep + "XFR $T SB 10.0.0.3:99999 CKI x\r\n"},
		{4 | p8, syn8 + sep + "CHG $T NLN 0\r\n" + sep + "XFR $T SB 10.0.0.3:1864 CKI x\x00y\r\n"},
		{4 | p8, "SYN $T 5 10001 501\r\n"},
		{4 | p8, "SYN $T 5 1 0\r\nLST a@b.com " + strings.Repeat("%41", 5000) + " 1\r\n"},
		{4 | p8, "SYN $T 5 2 0\r\nLST a@b.com A 1\r\n"},
		{4, "SYN $T 5\r\nLST $T FL 5 1 1 a@b.com A 0\r\n" + sep},
		{4, "MSG Hotmail Hotmail 99999999\r\n"},
		{4, "MSG Hotmail Hotmail 5\r\nab"},
		{4, "ILN 9 NLN a@b.com " + strings.Repeat("A", 20000)},
		{4, "OUT OTH\r\n"},
		{4 | p8, "OUT SSD\r\n"},
		{4, "911 $T\r\n"},
		{4 | p8, "500 $T\r\n"},
		{4, "CHL 0 1234567890\r\nRNG 1 10.0.0.3:1864 CKI 1.2 a@b.com A\r\nNOT 5\r\n<x/>"},
		{3, "USR $T OK bob@example.com " + strings.Repeat("B", 2000) + "\r\n"},
		{3 | p8, "911 $T\r\n"},
		{3, "XFR $T NS 10.0.0.9:1863 0 10.0.0.9:1863\r\n"},
		{2 | p8, "XFR $T NS 10.0.0.9:1863 0 10.0.0.9:1863\r\n"},
		{2, "USR $T MD5 S\r\n"},
		{1, "CVR $T\r\n\x00\xff"},
		{0, "VER $T MSNP12\r\n"},
		{0 | p8, "VER $T MSNP8 CVR0\n"},
		{0, ""},
	} {
		f.Add(s.depth, []byte(s.data))
	}
	f.Fuzz(func(t *testing.T, depth uint8, data []byte) {
		p := MSNP7
		if depth&0x80 != 0 {
			p = MSNP8
		}
		prefix := fuzzLogins[p][:int(depth&0x7f)%(len(fuzzLogins[p])+1)]
		ignore := goleak.IgnoreCurrent()
		var servers sync.WaitGroup
		dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
			client, server := net.Pipe()
			servers.Add(1)
			go func() {
				defer servers.Done()
				msntest.Chunked(server, prefix, data)
			}()
			return client, nil
		}
		done := make(chan error, 1)
		var kept *ContactList
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), sessionDeadline)
			defer cancel()
			cl, err := runSession(ctx, p, dial)
			kept = cl
			done <- err
		}()
		var err error
		select {
		case err = <-done:
		case <-time.After(sessionDeadline + sessionGrace):
			t.Fatalf("session still running %v after its deadline", sessionGrace)
		}
		servers.Wait()
		if errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("session waited for its deadline although the server hung up: %v", err)
		}
		if err != nil && !classified(err) {
			t.Fatalf("unclassified error %T: %v", err, err)
		}
		if err != nil && (strings.Contains(err.Error(), "eeac57e74d0a4b7") || strings.Contains(err.Error(), "0fake1ticket2value3")) {
			t.Fatalf("error echoes the salt or the ticket: %v", err)
		}
		if kept != nil {
			checkBounds(t, kept)
		}
		if err := goleak.Find(ignore); err != nil {
			t.Fatal(err)
		}
	})
}

// runSession signs in over dial and runs the calls a command makes,
// stopping at the first error; it closes the connection on every path.
func runSession(ctx context.Context, p Protocol, dial func(context.Context, string, string) (net.Conn, error)) (*ContactList, error) {
	events := 0
	var mu sync.Mutex
	var ticket secret.String
	if p == MSNP8 {
		ticket = secret.New("0fake1ticket2value3")
	}
	res, err := Login(ctx, LoginConfig{
		Server: "10.0.0.2:1863", Email: "bob@example.com", Protocol: p,
		Ticket:   ticket,
		Passport: passport.New("https://127.0.0.1:1/rdr/pprdr.asp", nil),
		Password: func(context.Context) (secret.String, error) { return secret.New("pw"), nil },
		Options: Options{Dial: dial, Handler: func(Event) {
			mu.Lock()
			events++
			mu.Unlock()
		}},
	})
	if err != nil {
		return nil, err
	}
	n := res.NS
	defer n.Close()
	if len(res.FriendlyName) > MaxNameBytes || !engine.ValidArg(res.Handle) {
		return nil, errors.New("sign-in kept an invalid handle or an over-long name")
	}
	cl, err := n.Sync(ctx, nil)
	if err != nil {
		return nil, err
	}
	if err := n.SetStatus(ctx, StatusOnline); err != nil {
		return cl, err
	}
	addr, cookie, err := n.RequestSwitchboard(ctx, "")
	if err != nil {
		return cl, err
	}
	if _, port, err := net.SplitHostPort(addr); err != nil || !engine.ValidPort(port) || !engine.ValidArg(cookie) {
		return cl, fmt.Errorf("switchboard referral %q with cookie %q taken", addr, cookie)
	}
	return cl, n.Logout(ctx)
}

// classified reports whether err is one the commands map to an exit code
// by class: a sentinel of proto, a server error, a protocol error, or a
// network error (io.ErrClosedPipe is net.Pipe's
// counterpart of EPIPE).
func classified(err error) bool {
	for _, target := range []error{
		ErrAuthFailed, ErrUnknownUser, ErrOffline, ErrNotAllowed, ErrListState, ErrListFull,
		ErrInvalidArgument, ErrServerBusy, ErrProtocol, ErrClosed, ErrUnsupportedVersion,
		ErrSignedInElsewhere, ErrServerShutdown, ErrBadAddress,
		io.ErrUnexpectedEOF, io.ErrClosedPipe,
	} {
		if errors.Is(err, target) {
			return true
		}
	}
	var se *ServerError
	var oe *net.OpError
	return errors.As(err, &se) || errors.As(err, &oe)
}
