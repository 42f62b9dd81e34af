package switchboard

import (
	"context"
	"io"
	"net"

	"msn/proto"
)

// Notifier is what opening and answering a conversation needs of the
// notification server side: the account's handle and protocol, a
// switchboard referral, the policy that checks referrals, the dialer
// and the debug transcript. A *proto.Notification is one; so is a
// client of a session shared by another process, which asks that
// process for the referral and dials the switchboard itself.
type Notifier interface {
	Handle() string
	Protocol() proto.Protocol
	RequestSwitchboard(ctx context.Context, status proto.Status) (addr, cookie string, err error)
	ReferralPolicy() proto.ReferralPolicy
	Dial(ctx context.Context, addr string) (net.Conn, error)
	Debug() io.Writer
}

var _ Notifier = (*proto.Notification)(nil)
