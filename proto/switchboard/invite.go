package switchboard

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"msn/proto"
	"msn/proto/internal/engine"
)

// probeWait bounds the wait for the answer to the probe Invite sends when
// a contact rang but did not join (see Invite). It is a variable so that
// tests can shorten it.
var probeWait = 10 * time.Second

// Invite calls a contact into the conversation (CAL) and waits until they
// join. It returns nil at once when the contact is already there,
// proto.ErrOffline when they are offline, hidden or blocking the account
// (217), proto.ErrUnknownUser for an unknown or invalid address (205,
// 207, 208), ErrNoAnswer when they do not join within Options.JoinWait,
// or another *proto.ServerError (713: calling too fast), and
// proto.ErrInvalidArgument, before anything is sent, for an address that
// proto.CheckAccount refuses. Several people may be invited, one after
// another or at once.
//
// A switchboard that stops answering is not blamed on the contact: the
// server answers CAL at once (RINGING or an error code), so a CAL left
// unanswered for the whole join wait is a silent server
// (proto.ErrServerSilent, a temporary failure). When the contact rang
// but did not join in time, Invite tells a silent server from a contact
// who does not answer by a probe: a typing notification with ack mode A,
// which the server acknowledges even when nobody else is there. An
// answer (ACK or NAK) within a few seconds means the switchboard is
// alive and the contact did not answer (ErrNoAnswer); no answer means
// the switchboard stopped answering (proto.ErrServerSilent). A contact
// who joins during the probe has joined. A line that stalls part way
// fails the connection with proto.ErrServerSilent at the reader's stall
// bound, whatever Invite is waiting for.
func (sb *Switchboard) Invite(ctx context.Context, email string) error {
	if !engine.ValidArg(email) || !strings.Contains(email, "@") {
		return fmt.Errorf("%w: %q is not an e-mail address", proto.ErrInvalidArgument, engine.EscapeForError(email))
	}
	if err := proto.CheckAccount(email); err != nil {
		return err
	}
	if strings.EqualFold(email, sb.self) {
		return fmt.Errorf("%w: cannot invite yourself", proto.ErrInvalidArgument)
	}
	if sb.isParticipant(email) {
		return nil
	}
	wait, cancel := context.WithTimeoutCause(ctx, sb.joinWait(), ErrNoAnswer)
	defer cancel()
	joined := sb.c.Expect(joinKey(email))
	reply, err := sb.c.Call(wait, &proto.Command{Verb: "CAL", Args: []string{email}})
	if err == nil && reply.Arg(0) != "RINGING" {
		err = engine.ProtocolErrorf("unexpected reply to CAL")
	}
	if err != nil {
		sb.c.Forget(joined)
		var se *proto.ServerError
		if errors.As(err, &se) && se.Code == 215 {
			return nil // already in the conversation
		}
		if ownDeadline(wait) {
			return fmt.Errorf("%w: no answer to the call of %s within %v", proto.ErrServerSilent,
				engine.EscapeForError(email), sb.joinWait())
		}
		return err
	}
	sb.mu.Lock()
	if sb.sessionID == "" {
		sb.sessionID = reply.Arg(1)
	}
	sb.mu.Unlock()
	if _, err := joined.Wait(wait); err != nil {
		if ownDeadline(wait) {
			return sb.probe(ctx, email)
		}
		if ctx.Err() != nil && !sb.isParticipant(email) {
			return fmt.Errorf("%s was called but did not join in time: %w", engine.EscapeForError(email), err)
		}
		return err
	}
	return nil
}

// ownDeadline reports whether Invite's own join wait ran out.
func ownDeadline(wait context.Context) bool {
	return wait.Err() != nil && errors.Is(context.Cause(wait), ErrNoAnswer)
}

// probe tells, after the join wait ran out, a contact who did not answer
// (ErrNoAnswer) from a switchboard that stopped answering
// (proto.ErrServerSilent); see Invite.
func (sb *Switchboard) probe(ctx context.Context, email string) error {
	if sb.isParticipant(email) {
		return nil
	}
	pctx, cancel := context.WithTimeout(ctx, probeWait)
	defer cancel()
	call := sb.ackedCall(typingMessage(sb.self).Bytes())
	sb.c.Issue(pctx, []*engine.Call{call})
	_, err := call.Wait(pctx)
	var se *proto.ServerError
	switch {
	case sb.isParticipant(email):
		return nil // joined while the probe was on its way
	case err == nil, errors.As(err, &se):
		return ErrNoAnswer
	case ctx.Err() != nil:
		return ctx.Err()
	case pctx.Err() != nil:
		return fmt.Errorf("%w: %s did not join, and the switchboard did not answer within %v", proto.ErrServerSilent,
			engine.EscapeForError(email), probeWait)
	}
	return err
}
