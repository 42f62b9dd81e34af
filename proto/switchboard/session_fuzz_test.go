package switchboard

import (
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"go.uber.org/goleak"

	"msn/proto"
	"msn/proto/internal/engine"
	"msn/proto/msntest"
)

// fuzzSB is a valid start of a conversation, one answer per client line:
// the sign-in, the contact joining, the message acknowledged.
var fuzzSB = []string{
	"USR $T OK bob@example.com Bob\r\n",
	"CAL $T RINGING 11752013\r\nJOI alice@example.com Alice\r\n",
	"ACK $T\r\n",
}

// sessionDeadline bounds a whole fuzzed conversation; sessionGrace is how
// much later than that it must have returned.
const (
	sessionDeadline = 3 * time.Second
	sessionGrace    = 2 * time.Second
)

// chunkedNotifier is a signed-in notification connection whose
// switchboards are fuzzed servers.
type chunkedNotifier struct {
	prefix  []string
	data    []byte
	servers sync.WaitGroup
}

func (n *chunkedNotifier) Handle() string           { return "bob@example.com" }
func (n *chunkedNotifier) Protocol() proto.Protocol { return proto.MSNP8 }
func (n *chunkedNotifier) Debug() io.Writer         { return nil }
func (n *chunkedNotifier) ReferralPolicy() proto.ReferralPolicy {
	return proto.ReferralPolicy{}
}

func (n *chunkedNotifier) RequestSwitchboard(context.Context, proto.Status) (string, string, error) {
	return "10.0.0.3:1864", "17262740.1050826919.32308", nil
}

func (n *chunkedNotifier) Dial(ctx context.Context, addr string) (net.Conn, error) {
	client, server := net.Pipe()
	n.servers.Add(1)
	go func() {
		defer n.servers.Done()
		msntest.Chunked(server, n.prefix, n.data)
	}()
	return client, nil
}

// FuzzSwitchboardSession runs a whole conversation (open, invite, send,
// typing, a file offer, leave) against a switchboard that answers each
// client line with the next chunk of fuzzer bytes, after the first depth
// lines of a valid start. It must return within its deadline without
// waiting for it (the server hangs up when its bytes run out), leave no
// goroutine behind, fail only with a classified error, and hand the
// handler only events within the limits: valid UTF-8 text, bounded
// invitations.
func FuzzSwitchboardSession(f *testing.F) {
	// net.Pipe has no buffer: a goodbye written while the fuzzed server
	// is still writing its answer waits out the goodbye's bound, which
	// is therefore short here, so that an input takes milliseconds.
	goodbye := engine.GoodbyeTimeout
	engine.GoodbyeTimeout = 20 * time.Millisecond
	f.Cleanup(func() { engine.GoodbyeTimeout = goodbye })
	sep := msntest.ChunkSeparator
	msg := func(from, body string) string {
		return "MSG " + from + " Alice " + strconv.Itoa(len(body)) + "\r\n" + body
	}
	text := "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=Arial; EF=; CO=0; CS=0; PF=22\r\n\r\nhello"
	invite := "MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinvite; charset=UTF-8\r\n\r\n" +
		"Application-Name: File Transfer\r\nApplication-GUID: {5D3E02AB-6190-11d3-BBBB-00C04F795683}\r\n" +
		"Invitation-Command: INVITE\r\nInvitation-Cookie: 31337\r\nApplication-File: ../../.bashrc\r\n" +
		"Application-FileSize: 99999999999999999999\r\n\r\n"
	for _, s := range []struct {
		depth uint8
		data  string
	}{
		{3, "" + sep + "" + sep + msg("alice@example.com", text) + "BYE alice@example.com\r\n"},
		{3, sep + sep + msg("alice@example.com", invite)},
		{3, msg("alice@example.com", "Content-Type: text/plain; charset=utf-16le\r\n\r\n\xff\xfe\xc3\x28")},
		{3, "MSG alice@example.com Alice 99999999\r\n"},
		{3, "MSG alice@example.com Alice 10\r\nabc"},
		{3, msg("alice@example.com", strings.Repeat("A: b\r\n", 70)+"\r\nx")},
		{3, "NAK $T\r\n"},
		{3, "BYE alice@example.com 1\r\n" + sep + "OUT\r\n"},
		{2, "ACK $T\r\n"},
		{2, "217 $T\r\n"},
		{1, "CAL $T RINGING 1\r\nBYE alice@example.com\r\n"},
		{1, "JOI alice@example.com " + strings.Repeat("%41", 5000) + "\r\n"},
		{1, "IRO 1 1 1 alice@example.com Alice\r\n"},
		{0, "USR $T OK bob@example.com Bob\r\n" + sep + "CAL $T RINGING 1\r\n" + sep},
		{0, "911 $T\r\n"},
		{0, ""},
	} {
		f.Add(s.depth, []byte(s.data))
	}
	f.Fuzz(func(t *testing.T, depth uint8, data []byte) {
		ignore := goleak.IgnoreCurrent()
		ns := &chunkedNotifier{prefix: fuzzSB[:int(depth)%(len(fuzzSB)+1)], data: data}
		var mu sync.Mutex
		var bad []string
		handler := func(e Event) {
			if problem := checkEvent(e); problem != "" {
				mu.Lock()
				bad = append(bad, problem)
				mu.Unlock()
			}
		}
		done := make(chan error, 1)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), sessionDeadline)
			defer cancel()
			done <- runConversation(ctx, ns, handler)
		}()
		var err error
		select {
		case err = <-done:
		case <-time.After(sessionDeadline + sessionGrace):
			t.Fatalf("conversation still running %v after its deadline", sessionGrace)
		}
		ns.servers.Wait()
		if errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("conversation waited for its deadline although the server hung up: %v", err)
		}
		if err != nil && !classifiedSB(err) {
			t.Fatalf("unclassified error %T: %v", err, err)
		}
		if err != nil && strings.Contains(err.Error(), "17262740.1050826919.32308") {
			t.Fatalf("error echoes the session cookie: %v", err)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(bad) > 0 {
			t.Fatal(strings.Join(bad, "; "))
		}
		if err := goleak.Find(ignore); err != nil {
			t.Fatal(err)
		}
	})
}

// runConversation plays what send and sendfile do, stopping at the first
// error; the switchboard is closed on every path.
func runConversation(ctx context.Context, ns Notifier, handler func(Event)) error {
	sb, err := Open(ctx, ns, Options{Handler: handler, JoinWait: time.Second, AckWait: time.Second})
	if err != nil {
		return err
	}
	defer sb.Close()
	if err := sb.Invite(ctx, "alice@example.com"); err != nil {
		return err
	}
	if err := sb.SendText(ctx, "hello", nil); err != nil {
		return err
	}
	if err := sb.SendTyping(ctx); err != nil {
		return err
	}
	if _, err := sb.OfferFile(ctx, "alice@example.com", "report.pdf", 2900); err != nil {
		return err
	}
	for _, p := range sb.Participants() {
		if !utf8.ValidString(p.Email) || len(p.Name) > proto.MaxNameBytes {
			return errors.New("participant out of bounds")
		}
	}
	return sb.Leave(ctx)
}

// checkEvent returns what is wrong with an event, or "".
func checkEvent(e Event) string {
	switch e := e.(type) {
	case *IncomingMessage:
		if !utf8.ValidString(e.Text) || len(e.Text) > proto.MaxPayload*3 {
			return "message text not valid UTF-8 or too long"
		}
	case *Invitation:
		if len(e.Fields) > maxInviteFields || e.Size < -1 {
			return "invitation out of bounds"
		}
	}
	return ""
}

// classifiedSB reports whether err is one the commands map to an exit
// code by class: a sentinel of proto or switchboard, a server or
// protocol error, or a broken connection (io.ErrClosedPipe is
// net.Pipe's counterpart of EPIPE).
func classifiedSB(err error) bool {
	for _, target := range []error{
		proto.ErrAuthFailed, proto.ErrUnknownUser, proto.ErrOffline, proto.ErrNotAllowed,
		proto.ErrInvalidArgument, proto.ErrServerBusy, proto.ErrProtocol, proto.ErrClosed,
		proto.ErrBadAddress, ErrNotDelivered, ErrUnconfirmed, ErrNoAnswer, ErrNoParticipants,
		ErrMessageTooLong, ErrBadInvitation, ErrCancelled, ErrDeclined, ErrPeerLeft,
		io.ErrUnexpectedEOF, io.ErrClosedPipe,
	} {
		if errors.Is(err, target) {
			return true
		}
	}
	var se *proto.ServerError
	return errors.As(err, &se)
}
