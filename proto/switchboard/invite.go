package switchboard

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"msn/proto"
	"msn/proto/internal/engine"
)

// Invite calls a contact into the conversation (CAL) and waits until they
// join. It returns nil at once when the contact is already there,
// proto.ErrOffline when they are offline, hidden or blocking the account
// (217), proto.ErrUnknownUser for an unknown or invalid address (205,
// 207, 208), ErrNoAnswer when they do not join within Options.JoinWait,
// or another *proto.ServerError (713: calling too fast). Several people
// may be invited, one after another or at once.
func (sb *Switchboard) Invite(ctx context.Context, email string) error {
	if !engine.ValidArg(email) || !strings.Contains(email, "@") {
		return fmt.Errorf("%w: %q is not an e-mail address", proto.ErrInvalidArgument, engine.EscapeForError(email))
	}
	if strings.EqualFold(email, sb.self) {
		return fmt.Errorf("%w: cannot invite yourself", proto.ErrInvalidArgument)
	}
	if sb.isParticipant(email) {
		return nil
	}
	ctx, cancel := context.WithTimeoutCause(ctx, sb.joinWait(), ErrNoAnswer)
	defer cancel()
	joined := sb.c.Expect(joinKey(email))
	reply, err := sb.c.Call(ctx, &proto.Command{Verb: "CAL", Args: []string{email}})
	if err == nil && reply.Arg(0) != "RINGING" {
		err = engine.ProtocolErrorf("unexpected reply to CAL")
	}
	if err != nil {
		sb.c.Forget(joined)
		var se *proto.ServerError
		if errors.As(err, &se) && se.Code == 215 {
			return nil // already in the conversation
		}
		return sb.waitError(ctx, err)
	}
	sb.mu.Lock()
	if sb.sessionID == "" {
		sb.sessionID = reply.Arg(1)
	}
	sb.mu.Unlock()
	if _, err := joined.Wait(ctx); err != nil {
		return sb.waitError(ctx, err)
	}
	return nil
}

// waitError maps the expiry of Invite's own deadline to ErrNoAnswer.
func (sb *Switchboard) waitError(ctx context.Context, err error) error {
	if ctx.Err() != nil && errors.Is(context.Cause(ctx), ErrNoAnswer) {
		return ErrNoAnswer
	}
	return err
}
