package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"msn/commands/session/share"
	"msn/keyring"
	"msn/proto"
)

// errNotShared means nobody holds the account's session: the command
// opens one of its own.
var errNotShared = errors.New("session: not shared")

// join opens account's session through the process that holds it, or
// returns errNotShared when none does (a stale socket is removed).
func join(ctx context.Context, cfg Config, account string, opts Options) (*Session, error) {
	lists := newContactList(cfg, cfg.Store.Account(account, cfg.Server), keyring.State{})
	engine := cfg.Engine
	engine.Handler = lists.handler(opts.Handler)
	cl, err := dialShared(ctx, cfg, account, share.DialOptions{Engine: engine, Rings: opts.Rings, Command: cfg.Command})
	switch {
	case err != nil:
		return nil, err
	case cl == nil:
		return nil, errNotShared
	}
	w := cl.Welcome()
	list := proto.NewContactList()
	if len(w.List) > 0 {
		if err := json.Unmarshal(w.List, list); err != nil {
			_ = cl.Close()
			return nil, &ShareError{Err: fmt.Errorf("%w: the holder's contact list: %w", proto.ErrProtocol, err)}
		}
	}
	lists.adopt(list)
	return &Session{
		Account:  account,
		Result:   &proto.LoginResult{Handle: w.Handle, FriendlyName: w.FriendlyName},
		ns:       cl,
		shared:   cl,
		lists:    lists,
		stopSync: func() {},
	}, nil
}

// SharedBy reports which process holds the session when it is shared.
func (s *Session) SharedBy() (share.HolderInfo, bool) {
	if s.shared == nil {
		return share.HolderInfo{}, false
	}
	return s.shared.Welcome().Holder, true
}

// SetSharedStatus sets the presence of account's shared session, when
// another process holds one, and reports whether one does.
func SetSharedStatus(ctx context.Context, cfg Config, account string, status proto.Status) (bool, error) {
	cl, err := dialShared(ctx, cfg, account, share.DialOptions{Engine: cfg.Engine, Command: cfg.Command})
	if err != nil || cl == nil {
		return false, err
	}
	defer cl.Close()
	return true, cl.SetStatus(ctx, status)
}

// SharedHolder returns who holds account's shared session, and whether
// anyone does.
func SharedHolder(ctx context.Context, cfg Config, account string) (share.HolderInfo, bool, error) {
	cl, err := dialShared(ctx, cfg, account, share.DialOptions{Engine: cfg.Engine, Command: cfg.Command})
	if err != nil || cl == nil {
		return share.HolderInfo{}, false, err
	}
	defer cl.Close()
	return cl.Welcome().Holder, true, nil
}

// dialShared connects to account's shared session; nil and no error
// when nobody holds it or sharing is off.
func dialShared(ctx context.Context, cfg Config, account string, o share.DialOptions) (*share.Client, error) {
	if cfg.ShareDir == "" {
		return nil, nil
	}
	cl, err := share.Dial(ctx, share.SocketPath(cfg.ShareDir, cfg.Server, account), o)
	switch {
	case errors.Is(err, share.ErrNoHolder), errors.Is(err, share.ErrUnsupported):
		return nil, nil
	case err != nil:
		return nil, &ShareError{Err: err}
	}
	return cl, nil
}

// visible reports whether the session is a shared one that the account
// already appears in (not hidden): a conversation through it leaves its
// presence alone. A hidden one takes the presence a session of its own
// would set, since a hidden account cannot start conversations.
func (s *Session) visible() bool {
	if s.shared == nil {
		return false
	}
	st := s.shared.Welcome().Status
	return st != "" && st != proto.StatusHidden
}
