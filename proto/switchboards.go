package proto

import (
	"context"
	"io"
	"net"

	"msn/proto/internal/engine"
)

// What package switchboard needs of the notification connection to open
// and answer conversations.

// Handle returns the signed-in account's handle (its e-mail address).
func (n *Notification) Handle() string { return n.handle }

// RequestSwitchboard asks the notification server for a new switchboard
// (XFR SB) and returns its address, checked with ReferralPolicy, and the
// cookie that signs in to it. A non-empty status is set (CHG) in the
// same network write. Package switchboard connects and signs in.
func (n *Notification) RequestSwitchboard(ctx context.Context, status Status) (addr, cookie string, err error) {
	xfr := &Command{Verb: "XFR", Args: []string{"SB"}}
	var xfrCall *engine.Call
	if status == "" {
		xfrCall = n.c.Go(ctx, xfr)
	} else {
		chg, err := n.statusCommand(status)
		if err != nil {
			return "", "", err
		}
		calls := n.c.GoAll(ctx, chg, xfr)
		xfrCall = calls[1]
		if _, err := calls[0].Wait(ctx); err != nil {
			n.c.Forget(xfrCall)
			return "", "", err
		}
		n.status.Store(status)
	}
	reply, err := xfrCall.Wait(ctx)
	if err != nil {
		return "", "", err
	}
	// XFR <TrID> SB <ip:port> CKI <cookie>
	if len(reply.Args) < 4 || reply.Args[0] != "SB" || reply.Args[2] != "CKI" {
		return "", "", protocolErrorf("malformed switchboard referral")
	}
	addr, err = n.policy.Check(reply.Args[1])
	if err != nil {
		return "", "", err
	}
	return addr, reply.Args[3], nil
}

// ReferralPolicy returns the policy that checks the addresses the server
// refers the client to (Options.AllowPrivate, or a private configured
// server, allows private ones).
func (n *Notification) ReferralPolicy() ReferralPolicy { return n.policy }

// Dial opens a TCP connection to addr with Options.Dial, bounded by ctx
// and the dial timeout.
func (n *Notification) Dial(ctx context.Context, addr string) (net.Conn, error) {
	return n.opts.DialAddr(ctx, addr)
}

// Debug returns Options.Debug, the writer of the wire transcript, or nil.
func (n *Notification) Debug() io.Writer { return n.opts.Debug }
