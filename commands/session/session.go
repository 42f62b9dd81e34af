package session

import (
	"context"
	"errors"
	"fmt"

	"msn/commands/session/share"
	"msn/keyring"
	"msn/proto"
)

// Session is a signed-in notification-server connection, what the login
// learned, and the account's contact list. It is a session of its own,
// or a client of the account's session that another process holds
// (Shared).
type Session struct {
	// Account is the account's address.
	Account string
	// Result is what the login returned. For a shared session only
	// Handle and FriendlyName are set.
	Result *proto.LoginResult
	// Cached reports that the cached ticket was accepted (no Passport
	// request for the ticket).
	Cached bool

	ns       Server
	own      *proto.Notification // nil when shared
	shared   *share.Client       // nil when own
	held     *held               // nil unless this session serves others
	lists    *contactList
	stopSync context.CancelFunc
}

// NS returns the notification-server side of the session.
func (s *Session) NS() Server { return s.ns }

// Open returns a session of account: the account's shared session when
// another process holds one (cfg.ShareDir), else a login of its own
// using the cache: the notification server and Passport URL from the
// state file, the cached ticket when this server accepts reused
// tickets, and a password read only if one is needed. A login that
// must be its own (opts.Fresh, opts.SavePassword) fails with a
// *HeldError while another process holds the session, since it would
// end that one. It updates the
// cache afterwards, then syncs the contact list against the cached
// version, waiting for it unless opts.BackgroundSync. A sync left in
// the background keeps ctx's deadline but not its cancellation: it ends
// at the server's answer, at that deadline, or at Close. With opts.Hold,
// a session of its own is served to the account's other commands until
// Close.
func Open(ctx context.Context, cfg Config, account string, opts Options) (*Session, error) {
	if cfg.ShareDir != "" {
		s, err := join(ctx, cfg, account, opts)
		if err == nil && (opts.Fresh || opts.SavePassword) {
			by, _ := s.SharedBy()
			_ = s.Close()
			return nil, &HeldError{By: by}
		}
		if !errors.Is(err, errNotShared) {
			return s, err
		}
	}
	acct := cfg.Store.Account(account, cfg.Server)
	st, err := acct.State()
	if err != nil || st.Server != cfg.Server {
		st = keyring.State{Server: cfg.Server, Presence: st.Presence}
	}
	l := &login{cfg: cfg, acct: acct, state: st, opts: opts}
	lists := newContactList(cfg, acct, st)
	var hd *held
	handler := opts.Handler
	if opts.Hold && cfg.ShareDir != "" {
		hd = newHeld(cfg, account, opts.Handler)
		handler = hd.handle
	}
	res, cached, err := l.run(ctx, lists.handler(handler))
	if err != nil {
		return nil, err
	}
	s := &Session{Account: account, Result: res, Cached: cached, ns: res.NS, own: res.NS, lists: lists}
	syncCtx, stopSync := context.WithoutCancel(ctx), context.CancelFunc(func() {})
	if d, ok := ctx.Deadline(); ok {
		syncCtx, stopSync = context.WithDeadline(syncCtx, d)
	}
	s.stopSync = stopSync
	lists.start(syncCtx, res.NS)
	if hd != nil {
		hd.serve(s)
		s.held = hd
	}
	if !opts.BackgroundSync {
		if err := lists.wait(ctx); err != nil {
			_ = s.Close()
			return nil, fmt.Errorf("contact list: %w", err)
		}
	}
	if opts.SavePassword {
		if err := l.savePassword(ctx); err != nil {
			_ = s.Close()
			return nil, err
		}
	}
	return s, nil
}

// WithList waits for the contact list sync and calls fn with the list,
// which fn may read and change; nothing else touches the list meanwhile.
func (s *Session) WithList(ctx context.Context, fn func(cl *proto.ContactList) error) error {
	return s.lists.with(ctx, fn)
}

// ApplyList records a list change the server confirmed and, in a
// session of its own, saves the list (a shared session's holder saves
// it).
func (s *Session) ApplyList(ch *proto.ListChange) { s.lists.apply(ch) }

// Look makes the presence the session's handler has seen complete,
// without announcing the account: a session of its own appears hidden
// and waits for the server's initial presence burst; a shared session
// was told who is online when it joined, and its holder's presence is
// left alone.
func (s *Session) Look(ctx context.Context) error {
	if s.own == nil {
		return nil
	}
	return s.own.SetStatusAndSettle(ctx, proto.StatusHidden)
}

// Close ends the session: it stops serving other commands, closes the
// connection (a shared session's holder goes on), waits for the contact
// list sync to end and saves the list if it changed.
func (s *Session) Close() error {
	if s.held != nil {
		s.held.close(s.ns.Err())
	}
	err := s.ns.Close()
	s.lists.close()
	s.stopSync()
	return err
}

// HangUp says goodbye without waiting for the server's answer; Close
// still has to be called. A shared session only disconnects.
func (s *Session) HangUp() {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_ = s.ns.Logout(ctx)
}
