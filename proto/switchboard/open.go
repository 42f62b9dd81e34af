package switchboard

import (
	"context"
	"errors"
	"fmt"
	"time"

	"msn/proto"
	"msn/proto/internal/engine"
)

// setupTimeout bounds opening or answering a switchboard when ctx has
// a later deadline (the server's cookies live 30 s to 120 s).
const setupTimeout = 30 * time.Second

// Open starts a new conversation: it asks the notification server ns
// for a switchboard (XFR SB), connects to it and signs in (USR). Invite
// people in before sending.
func Open(ctx context.Context, ns Notifier, opts Options) (*Switchboard, error) {
	return OpenWithStatus(ctx, ns, "", opts)
}

// OpenWithStatus is Open that also sets the account's presence (CHG), in
// the same network write as the request for the switchboard. An empty
// status sets nothing. When ns is a Predictor, the connect to the
// predicted switchboard overlaps the request.
func OpenWithStatus(ctx context.Context, ns Notifier, status proto.Status, opts Options) (*Switchboard, error) {
	if ns.Handle() == "" {
		return nil, errors.New("proto: switchboard needs a signed-in notification connection")
	}
	ctx, cancel := context.WithTimeout(ctx, setupTimeout)
	defer cancel()
	early := startPreconnect(ctx, ns)
	addr, cookie, err := ns.RequestSwitchboard(ctx, status)
	if err != nil {
		early.discard()
		return nil, err
	}
	var sb *Switchboard
	if nc := early.take(addr); nc != nil {
		sb = newSwitchboard(nc, ns.Handle(), ns.Protocol(), ns.Debug(), ns.ReferralPolicy(), opts)
	} else if sb, err = dial(ctx, ns, addr, opts); err != nil {
		return nil, err
	}
	ok, err := sb.c.Call(ctx, &proto.Command{Verb: "USR", Args: []string{ns.Handle(), cookie}})
	if err == nil && ok.Arg(0) != "OK" {
		err = engine.ProtocolErrorf("unexpected reply to switchboard USR")
	}
	if err != nil {
		sb.Close()
		return nil, err
	}
	return sb, nil
}

// Answer joins the conversation a proto.Ring from ns invites to: it connects
// to the switchboard and answers (ANS). The people already there arrive
// as Joined events with Initial set before Answer returns. Answer must
// not be called from an event handler.
func Answer(ctx context.Context, ns Notifier, ring *proto.Ring, opts Options) (*Switchboard, error) {
	if ns.Handle() == "" {
		return nil, errors.New("proto: answering needs a signed-in notification connection")
	}
	if ring == nil || !engine.ValidArg(ring.SessionID) || !engine.ValidArg(ring.Cookie) {
		return nil, fmt.Errorf("%w: malformed invitation", proto.ErrInvalidArgument)
	}
	addr, err := ns.ReferralPolicy().Check(ring.Addr)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, setupTimeout)
	defer cancel()
	sb, err := dial(ctx, ns, addr, opts)
	if err != nil {
		return nil, err
	}
	sb.mu.Lock()
	sb.sessionID = ring.SessionID
	sb.mu.Unlock()
	ok, err := sb.c.Call(ctx, &proto.Command{Verb: "ANS", Args: []string{ns.Handle(), ring.Cookie, ring.SessionID}})
	if err == nil && ok.Arg(0) != "OK" {
		err = engine.ProtocolErrorf("unexpected reply to ANS")
	}
	if err != nil {
		sb.Close()
		return nil, err
	}
	return sb, nil
}

// dial connects to a switchboard at a checked address.
func dial(ctx context.Context, ns Notifier, addr string, opts Options) (*Switchboard, error) {
	nc, err := ns.Dial(ctx, addr)
	if err != nil {
		return nil, fmt.Errorf("proto: connect to switchboard %s: %w", addr, err)
	}
	return newSwitchboard(nc, ns.Handle(), ns.Protocol(), ns.Debug(), ns.ReferralPolicy(), opts), nil
}
