package switchboard

import (
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"msn/proto"
	"msn/proto/internal/engine"
)

// Switchboard limits and waits.
const (
	// MaxParticipants bounds a conversation's roster; a server that
	// announces more ends the switchboard with a protocol error.
	MaxParticipants = 100
	// JoinTimeout bounds Invite's wait for the contact to join.
	JoinTimeout = 30 * time.Second
	// AckTimeout bounds the wait for a message's acknowledgement.
	AckTimeout = 30 * time.Second
	// leaveTimeout bounds Leave's wait for the server to hang up.
	leaveTimeout = 5 * time.Second
)

// Options configures one switchboard session. Dialing, the
// debug transcript and the referral policy come from the notification
// connection.
type Options struct {
	// Handler receives the conversation's events (Joined, Left,
	// IncomingMessage, Typing, Invitation, Undelivered, Malformed,
	// Unknown) on the switchboard's reader goroutine, in wire order. It
	// must return quickly and must not wait for a server reply.
	Handler func(Event)
	// JoinWait bounds Invite's wait for the contact to join; zero means
	// JoinTimeout.
	JoinWait time.Duration
	// AckWait bounds the wait for a message's acknowledgement; zero means
	// AckTimeout.
	AckWait time.Duration
}

// joinWait is the wait for a contact's JOI in force.
func (sb *Switchboard) joinWait() time.Duration {
	if sb.opts.JoinWait > 0 {
		return sb.opts.JoinWait
	}
	return JoinTimeout
}

// ackWait is the wait for an acknowledgement in force.
func (sb *Switchboard) ackWait() time.Duration {
	if sb.opts.AckWait > 0 {
		return sb.opts.AckWait
	}
	return AckTimeout
}

// Participant is someone in a conversation besides the account itself.
type Participant struct {
	Email, Name string
}

// Switchboard is one conversation, on its own connection to a
// switchboard server. Its methods are safe for concurrent use.
type Switchboard struct {
	c    *engine.Conn
	opts Options
	self string

	mu        sync.Mutex
	roster    []Participant
	sessionID string
	// negative maps calls of messages sent with AckNegative to their
	// messages, so that a NAK can name the message; see trackNegative.
	negative map[*engine.Call]*proto.Message
	negOrder []*engine.Call
	// invites names the peer and cookie of each invitation waiting for a
	// reply, by waiter key (see invitewait.go); offered holds the
	// INVITEs received lately, so that a repeated one is dropped.
	invites map[string]inviteRef
	offered []string
	// policy checks the addresses a peer gives for a file transfer.
	policy proto.ReferralPolicy
}

// newSwitchboard starts the engine on nc for the account self.
func newSwitchboard(nc net.Conn, self string, p proto.Protocol, debug io.Writer, policy proto.ReferralPolicy, opts Options) *Switchboard {
	sb := &Switchboard{
		self:     self,
		opts:     opts,
		negative: map[*engine.Call]*proto.Message{},
		invites:  map[string]inviteRef{},
		policy:   policy,
	}
	sb.c = engine.New(nc, engine.Config{
		Dialect:   p,
		Debug:     debug,
		Intercept: sb.intercept,
		Unclaimed: sb.unclaimed,
		Malformed: func(err error) { sb.emit(&Malformed{Err: err}) },
		Goodbye:   &proto.Command{Verb: "OUT"},
	})
	sb.c.Start()
	return sb
}

// emit passes an event to the handler.
func (sb *Switchboard) emit(ev Event) {
	if sb.opts.Handler != nil {
		sb.opts.Handler(ev)
	}
}

// unclaimed turns a line no call claimed into an event.
func (sb *Switchboard) unclaimed(cmd *proto.Command) {
	if ev := sb.event(cmd); ev != nil {
		sb.emit(ev)
	}
}

// Participants returns the other people in the conversation, in the order
// they arrived.
func (sb *Switchboard) Participants() []Participant {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	return append([]Participant(nil), sb.roster...)
}

// SessionID returns the conversation's session id: from the invitation
// for an answered conversation, from the first CAL reply otherwise; ""
// before that.
func (sb *Switchboard) SessionID() string {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	return sb.sessionID
}

// Done is closed when the connection has ended.
func (sb *Switchboard) Done() <-chan struct{} { return sb.c.Done() }

// Err returns why the connection ended, or nil while it is up.
func (sb *Switchboard) Err() error { return sb.c.Err() }

// Close leaves the conversation at once: it says goodbye (OUT) unless
// the server ended the connection or the goodbye was said already, and
// closes the connection without waiting for the server, then waits for
// its reader. The goodbye is bounded by a short write deadline and is
// skipped when a write is stalled, so Close never waits long. A
// switchboard is left with OUT on every path that ends it from this
// side: Close, Leave, and a failure this side detects (a protocol error,
// a stalled line). Messages still waiting for an acknowledgement fail
// with proto.ErrClosed. Close returns the error that ended the
// connection, or nil when the connection was up until Close or ended in
// order (OUT, hang-up).
func (sb *Switchboard) Close() error { return sb.c.Close() }

// Leave says goodbye (OUT), waits up to ctx (and at most a few seconds)
// for the server to hang up, and closes the connection. The goodbye is
// written even when ctx has ended, within the engine's short goodbye
// bound.
func (sb *Switchboard) Leave(ctx context.Context) error {
	if err := sb.c.SayGoodbye(&proto.Command{Verb: "OUT"}); err == nil {
		ctx, cancel := context.WithTimeout(ctx, leaveTimeout)
		defer cancel()
		select {
		case <-sb.c.Done():
		case <-ctx.Done():
		}
	}
	return sb.Close()
}

// intercept handles the switchboard's goodbye, judges whether an ACK
// found anyone to receive its message, and names the message of a NAK
// answering an AckNegative send, before the ACK or NAK completes its
// call.
func (sb *Switchboard) intercept(cmd *proto.Command) bool {
	switch cmd.Verb {
	case "OUT":
		sb.c.Fail(nil)
		return true
	case "ACK":
		sb.judgeAck(cmd)
	case "NAK":
		if m, ok := sb.untrackNegative(sb.c.Pending(cmd.TrID)); ok {
			sb.inviteUndelivered(m)
			sb.emit(&Undelivered{TrID: cmd.TrID, Message: m})
		}
	}
	return false
}

// event keeps the roster and turns switchboard lines into events.
func (sb *Switchboard) event(cmd *proto.Command) Event {
	switch cmd.Verb {
	case "JOI":
		// JOI <handle> <name>
		if len(cmd.Args) >= 1 {
			return sb.joined(cmd.Args[0], cmd.Arg(1), false, cmd)
		}
	case "IRO":
		// IRO <TrID> <index> <total> <handle> <name>; the counts are
		// not trusted, the roster is built from the lines.
		if len(cmd.Args) >= 3 {
			return sb.joined(cmd.Args[2], cmd.Arg(3), true, cmd)
		}
	case "BYE":
		// BYE <handle> [1]
		if len(cmd.Args) >= 1 {
			if strings.EqualFold(cmd.Args[0], sb.self) {
				return nil
			}
			sb.remove(cmd.Args[0])
			sb.peerLeft(cmd.Args[0])
			return &Left{Email: cmd.Args[0], Idle: cmd.Arg(1) == "1"}
		}
	case "MSG":
		ev := messageEvent(cmd)
		if inv, ok := ev.(*Invitation); ok {
			return sb.invitation(inv, cmd)
		}
		return ev
	case "ACK", "NAK", "CAL", "USR", "ANS":
		// Replies whose caller stopped waiting.
		return nil
	default:
		return &Unknown{Command: cmd}
	}
	return &Malformed{Err: engine.ProtocolErrorf("%s: too few fields", cmd.Verb)}
}

// joined adds a participant, wakes an Invite waiting for them, and
// returns the event. The account's own JOI (sent to the answering side
// before the IRO lines) is not an arrival.
func (sb *Switchboard) joined(email, name string, initial bool, cmd *proto.Command) Event {
	if strings.EqualFold(email, sb.self) {
		return nil
	}
	name = engine.DecodeName(name)
	sb.mu.Lock()
	i, full := sb.find(email), false
	switch {
	case i >= 0:
		sb.roster[i].Name = name
	case len(sb.roster) < MaxParticipants:
		sb.roster = append(sb.roster, Participant{Email: email, Name: name})
	default:
		full = true
	}
	sb.mu.Unlock()
	if full {
		sb.c.Fail(engine.ProtocolErrorf("more than %d participants", MaxParticipants))
		return nil
	}
	sb.c.Wake(joinKey(email), cmd, nil)
	return &Joined{Email: email, Name: name, Initial: initial}
}

// remove drops a participant from the roster.
func (sb *Switchboard) remove(email string) {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	if i := sb.find(email); i >= 0 {
		sb.roster = append(sb.roster[:i], sb.roster[i+1:]...)
	}
}

// find returns the roster index of email, or -1; the caller holds mu.
func (sb *Switchboard) find(email string) int {
	for i, p := range sb.roster {
		if strings.EqualFold(p.Email, email) {
			return i
		}
	}
	return -1
}

// isParticipant reports whether email is in the conversation.
func (sb *Switchboard) isParticipant(email string) bool {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	return sb.find(email) >= 0
}

// alone reports whether nobody else is in the conversation.
func (sb *Switchboard) alone() bool {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	return len(sb.roster) == 0
}

// joinKey is the waiter key of a contact's JOI.
func joinKey(email string) string { return "JOI:" + strings.ToLower(email) }

// Self returns the account's own handle in the conversation.
func (sb *Switchboard) Self() string { return sb.self }
