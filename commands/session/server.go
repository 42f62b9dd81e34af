package session

import (
	"context"
	"net"

	"msn/commands/session/share"
	"msn/proto"
	"msn/proto/switchboard"
)

// Server is the notification-server side of a session, as commands use
// it: the session's own connection (a *proto.Notification), or, when
// another process holds the account's session, a *share.Client that
// runs the same requests through it.
type Server interface {
	switchboard.Notifier

	AddContact(ctx context.Context, list proto.List, email, name string, group int) (*proto.ListChange, error)
	RemoveContact(ctx context.Context, list proto.List, email string, group int) (*proto.ListChange, error)
	Block(ctx context.Context, email string) (*proto.ListChange, error)
	Allow(ctx context.Context, email string) (*proto.ListChange, error)
	Unblock(ctx context.Context, email string) (*proto.ListChange, error)
	AddGroup(ctx context.Context, name string) (*proto.ListChange, error)
	RemoveGroup(ctx context.Context, id int) (*proto.ListChange, error)
	RenameGroup(ctx context.Context, id int, name string) (*proto.ListChange, error)
	SetFriendlyName(ctx context.Context, name string) (*proto.ListChange, error)
	SetPhone(ctx context.Context, key, value string) (*proto.ListChange, error)
	SetPrivacy(ctx context.Context, p proto.Privacy) (*proto.ListChange, error)
	SetNotifyOnAdd(ctx context.Context, notify bool) (*proto.ListChange, error)
	SetStatus(ctx context.Context, s proto.Status) error

	// LocalAddr is the local address of the notification connection.
	LocalAddr() net.Addr
	// Logout leaves the session: it signs out of a session of its own,
	// and only disconnects from a shared one.
	Logout(ctx context.Context) error
	Done() <-chan struct{}
	Err() error
	Close() error
}

var (
	_ Server = (*proto.Notification)(nil)
	_ Server = (*share.Client)(nil)
)
