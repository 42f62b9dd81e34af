package proto

import (
	"context"
	"errors"
	"fmt"
	"time"

	"msn/proto/internal/engine"
)

// sbSetupTimeout bounds opening or answering a switchboard when ctx has
// a later deadline (the server's cookies live 30 s to 120 s).
const sbSetupTimeout = 30 * time.Second

// Handle returns the signed-in account's handle (its e-mail address).
func (n *Notification) Handle() string { return n.handle }

// Switchboard starts a new conversation: it asks the notification server
// for a switchboard (XFR SB), connects to it and signs in (USR). Invite
// people in before sending.
func (n *Notification) Switchboard(ctx context.Context, opts SwitchboardOptions) (*Switchboard, error) {
	return n.SwitchboardWithStatus(ctx, "", opts)
}

// SwitchboardWithStatus is Switchboard that also sets the account's
// presence (CHG), in the same network write as the request for the
// switchboard. An empty status sets nothing.
func (n *Notification) SwitchboardWithStatus(ctx context.Context, status Status, opts SwitchboardOptions) (*Switchboard, error) {
	if n.handle == "" {
		return nil, errors.New("proto: switchboard needs a signed-in notification connection")
	}
	ctx, cancel := context.WithTimeout(ctx, sbSetupTimeout)
	defer cancel()
	xfr := &Command{Verb: "XFR", Args: []string{"SB"}}
	var xfrCall *engine.Call
	if status == "" {
		xfrCall = n.c.Go(ctx, xfr)
	} else {
		chg, err := n.statusCommand(status)
		if err != nil {
			return nil, err
		}
		calls := n.c.GoAll(ctx, chg, xfr)
		xfrCall = calls[1]
		if _, err := calls[0].Wait(ctx); err != nil {
			n.c.Forget(xfrCall)
			return nil, err
		}
	}
	reply, err := xfrCall.Wait(ctx)
	if err != nil {
		return nil, err
	}
	// XFR <TrID> SB <ip:port> CKI <cookie>
	if len(reply.Args) < 4 || reply.Args[0] != "SB" || reply.Args[2] != "CKI" {
		return nil, protocolErrorf("malformed switchboard referral")
	}
	addr, err := n.policy.check(reply.Args[1])
	if err != nil {
		return nil, err
	}
	sb, err := n.dialSwitchboard(ctx, addr, opts)
	if err != nil {
		return nil, err
	}
	ok, err := sb.c.Call(ctx, &Command{Verb: "USR", Args: []string{n.handle, reply.Args[3]}})
	if err == nil && ok.Arg(0) != "OK" {
		err = protocolErrorf("unexpected reply to switchboard USR")
	}
	if err != nil {
		sb.Close()
		return nil, err
	}
	return sb, nil
}

// Answer joins the conversation a Ring invites to: it connects to the
// switchboard and answers (ANS). The people already there arrive as
// Joined events with Initial set before Answer returns. Answer must not
// be called from an event handler.
func (n *Notification) Answer(ctx context.Context, ring *Ring, opts SwitchboardOptions) (*Switchboard, error) {
	if n.handle == "" {
		return nil, errors.New("proto: answering needs a signed-in notification connection")
	}
	if ring == nil || !engine.ValidArg(ring.SessionID) || !engine.ValidArg(ring.Cookie) {
		return nil, fmt.Errorf("%w: malformed invitation", ErrInvalidArgument)
	}
	addr, err := n.policy.check(ring.Addr)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, sbSetupTimeout)
	defer cancel()
	sb, err := n.dialSwitchboard(ctx, addr, opts)
	if err != nil {
		return nil, err
	}
	sb.mu.Lock()
	sb.sessionID = ring.SessionID
	sb.mu.Unlock()
	ok, err := sb.c.Call(ctx, &Command{Verb: "ANS", Args: []string{n.handle, ring.Cookie, ring.SessionID}})
	if err == nil && ok.Arg(0) != "OK" {
		err = protocolErrorf("unexpected reply to ANS")
	}
	if err != nil {
		sb.Close()
		return nil, err
	}
	return sb, nil
}

// dialSwitchboard connects to a switchboard at a checked address.
func (n *Notification) dialSwitchboard(ctx context.Context, addr string, opts SwitchboardOptions) (*Switchboard, error) {
	nc, err := n.opts.dial(ctx, addr)
	if err != nil {
		return nil, fmt.Errorf("proto: connect to switchboard %s: %w", addr, err)
	}
	return newSwitchboard(nc, n.handle, n.protocol, n.opts.Debug, n.policy, opts), nil
}
