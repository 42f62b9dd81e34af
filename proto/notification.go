package proto

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"msn/proto/internal/engine"
)

// Waiter keys on a notification connection.
const keyPong = "QNG"

// serviceSender is the sender and name of the service's own messages on
// the notification connection (the profile, mail notices).
const serviceSender = "Hotmail"

// Notification is a connection to the notification server. Its methods
// are safe for concurrent use.
type Notification struct {
	c        *engine.Conn
	protocol Protocol
	policy   ReferralPolicy
	opts     Options
	keepDone chan struct{}
	// handle is the signed-in account, set by Login.
	handle string
	// lists serialises list syncs and feeds their streams.
	lists listState
	// status is the presence the server last confirmed.
	status atomic.Value // Status
}

// newNotification starts the engine on nc for protocol p. The dialect is
// fixed before the reader starts: a server that picks another version is
// refused, so no line of another dialect is ever dispatched.
func newNotification(nc net.Conn, p Protocol, opts Options, policy ReferralPolicy) *Notification {
	n := &Notification{protocol: p, opts: opts, policy: policy}
	n.c = engine.New(nc, engine.Config{
		Dialect:   p,
		Debug:     opts.Debug,
		Intercept: n.intercept,
		Unclaimed: n.unclaimed,
		Malformed: func(err error) { n.emit(&Malformed{Err: err}) },
	})
	n.c.Start()
	return n
}

// emit passes an event to the handler.
func (n *Notification) emit(ev Event) {
	if n.opts.Handler != nil {
		n.opts.Handler(ev)
	}
}

// unclaimed offers a line no call claimed to a list sync's stream, and
// else turns it into an event.
func (n *Notification) unclaimed(cmd *Command) {
	if n.collect(cmd) {
		return
	}
	if ev := n.event(cmd); ev != nil {
		n.emit(ev)
	}
}

// LocalAddr returns the local address of the connection to the
// notification server: the address this host reaches the service from,
// which a file sender advertises by default.
func (n *Notification) LocalAddr() net.Addr { return n.c.LocalAddr() }

// Protocol returns the negotiated protocol version.
func (n *Notification) Protocol() Protocol { return n.protocol }

// Done is closed when the connection has ended.
func (n *Notification) Done() <-chan struct{} { return n.c.Done() }

// Err returns why the connection ended, or nil while it is up.
func (n *Notification) Err() error { return n.c.Err() }

// Close closes the connection at once and waits for its goroutines. It
// returns the error that ended the connection, or nil when the
// connection was up until Close or ended in order (OUT, hang-up).
func (n *Notification) Close() error {
	err := n.c.Close()
	if n.keepDone != nil {
		<-n.keepDone
	}
	return err
}

// Logout says goodbye (OUT), waits up to ctx for the server to close the
// connection, and closes it. The goodbye is written even when ctx has
// ended, within the engine's short goodbye bound, so that a server that
// does not read never holds up the exit for long.
func (n *Notification) Logout(ctx context.Context) error {
	if err := n.c.SayGoodbye(&Command{Verb: "OUT"}); err == nil {
		select {
		case <-n.c.Done():
		case <-ctx.Done():
		}
	}
	return n.Close()
}

// Ping sends PNG and waits for QNG.
func (n *Notification) Ping(ctx context.Context) error {
	w := n.c.Expect(keyPong)
	if err := n.c.Send(ctx, &Command{Verb: "PNG"}); err != nil {
		return err
	}
	_, err := w.Wait(ctx)
	return err
}

// startKeepAlive pings every Options.KeepAlive while the connection is
// up. A ping that cannot be written (a stalled write holds the line, or
// the server does not read it), or whose answer does not come, within
// Options.KeepAliveWait fails the connection with ErrServerSilent (a
// temporary failure): a silent server is noticed within KeepAlive plus
// KeepAliveWait. The goroutine ends with the connection.
func (n *Notification) startKeepAlive() {
	if n.opts.KeepAlive <= 0 {
		return
	}
	n.keepDone = make(chan struct{})
	wait := n.opts.keepAliveWait()
	silent := fmt.Errorf("%w (no answer to a keep-alive ping within %v)", ErrServerSilent, wait)
	go func() {
		defer close(n.keepDone)
		t := time.NewTimer(n.opts.KeepAlive)
		defer t.Stop()
		for {
			select {
			case <-n.c.Done():
				return
			case <-t.C:
				ctx, cancel := context.WithTimeoutCause(context.Background(), wait, silent)
				err := n.Ping(ctx)
				cancel()
				if err != nil && n.c.Err() == nil {
					n.c.Fail(silent)
				}
				t.Reset(n.opts.KeepAlive)
			}
		}
	}()
}

// intercept handles the lines the package answers itself: challenges,
// pongs and the server's goodbye.
func (n *Notification) intercept(cmd *Command) bool {
	switch cmd.Verb {
	case "CHL":
		if cmd.TrID == 0 && len(cmd.Args) == 1 {
			qry := &Command{Verb: "QRY", HasTrID: true, Args: []string{challengeClientID},
				Payload: []byte(ChallengeResponse(cmd.Args[0]))}
			_ = n.c.Send(context.Background(), qry)
			return true
		}
	case "QNG":
		n.c.Wake(keyPong, cmd, nil)
		return true
	case "OUT":
		reason := cmd.Arg(0)
		n.emit(&LoggedOut{Reason: reason})
		switch reason {
		case "OTH":
			n.c.Fail(ErrSignedInElsewhere)
		case "SSD":
			n.c.Fail(ErrServerShutdown)
		default:
			n.c.Fail(nil)
		}
		return true
	}
	return false
}

// event turns a notification line into an Event.
func (n *Notification) event(cmd *Command) Event {
	switch cmd.Verb {
	case "ILN":
		if len(cmd.Args) >= 3 {
			return &Presence{Status: Status(cmd.Args[0]), Email: cmd.Args[1],
				Name: limitName(decodeName(cmd.Args[2])), ClientID: cmd.Arg(3), Initial: true}
		}
	case "NLN":
		if len(cmd.Args) >= 3 {
			return &Presence{Status: Status(cmd.Args[0]), Email: cmd.Args[1],
				Name: limitName(decodeName(cmd.Args[2])), ClientID: cmd.Arg(3)}
		}
	case "FLN":
		if len(cmd.Args) >= 1 {
			return &Offline{Email: cmd.Args[0]}
		}
	case "ADD", "REM":
		// ADD 0 RL ver handle name / REM 0 RL ver handle
		if cmd.TrID == 0 && len(cmd.Args) >= 3 && cmd.Args[0] == "RL" {
			v, _ := strconv.Atoi(cmd.Args[1])
			ev := &ReverseListChange{Email: cmd.Args[2], Added: cmd.Verb == "ADD", Version: v}
			ev.Name = limitName(decodeName(cmd.Arg(3)))
			return ev
		}
	case "BPR":
		// BPR ver handle key [value]: a contact's phone number changed.
		if len(cmd.Args) >= 3 && len(cmd.Args) <= 4 && engine.IsDigits(cmd.Args[0]) {
			v, _ := parseVersion(cmd.Args[0])
			return &ListChange{Kind: ChangePhone, Email: cmd.Args[1], Key: cmd.Args[2],
				Value: limitName(decodeName(cmd.Arg(3))), Group: NoGroup, Version: v}
		}
	case "RNG":
		if len(cmd.Args) >= 5 {
			return &Ring{SessionID: cmd.Args[0], Addr: cmd.Args[1], Cookie: cmd.Args[3],
				From: cmd.Args[4], FromName: limitName(decodeName(cmd.Arg(5)))}
		}
	case "MSG":
		// Only the service itself ("Hotmail Hotmail") sends messages on
		// the notification connection; anything else is not its word.
		if cmd.Arg(0) != serviceSender || cmd.Arg(1) != serviceSender {
			return &Unknown{Command: cmd}
		}
		if len(cmd.Payload) == 0 {
			return &Malformed{Err: protocolErrorf("empty server message")}
		}
		if m, err := ParseMessage(cmd.Payload); err == nil {
			return &ServerMessage{Message: m}
		}
		return &Malformed{Err: protocolErrorf("malformed server message")}
	case "NOT", "IPG":
		return &Notice{Kind: cmd.Verb, Payload: cmd.Payload}
	}
	if minFields, ok := eventFields[cmd.Verb]; ok && len(cmd.Args) < minFields {
		return &Malformed{Err: protocolErrorf("%s: too few fields", cmd.Verb)}
	}
	return &Unknown{Command: cmd}
}

// eventFields is the least number of fields of each event line.
var eventFields = map[string]int{"ILN": 3, "NLN": 3, "FLN": 1, "RNG": 5}

// encodeName percent-encodes a friendly name for the wire: every byte
// outside the unreserved set.
func encodeName(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
