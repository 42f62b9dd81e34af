package session

import (
	"context"
	"fmt"

	"msn/keyring"
	"msn/proto"
)

// Session is a logged-in notification-server connection, what the login
// learned, and the account's contact list.
type Session struct {
	// Account is the account's address.
	Account string
	// Result is what the login returned; Result.NS is the connection.
	Result *proto.LoginResult
	// Cached reports that the cached ticket was accepted (no Passport
	// request for the ticket).
	Cached bool

	lists    *contactList
	stopSync context.CancelFunc
}

// NS returns the notification connection.
func (s *Session) NS() *proto.Notification { return s.Result.NS }

// Open logs account in using the cache: the notification server and
// Passport URL from the state file, the cached ticket when this server
// accepts reused tickets, and a password read only if one is needed. It
// updates the cache afterwards, then syncs the contact list against the
// cached version, waiting for it unless opts.BackgroundSync. A sync left
// in the background keeps ctx's deadline but not its cancellation: it
// ends at the server's answer, at that deadline, or at Close.
func Open(ctx context.Context, cfg Config, account string, opts Options) (*Session, error) {
	acct := cfg.Store.Account(account)
	st, err := acct.State()
	if err != nil || st.Server != cfg.Server {
		st = keyring.State{Server: cfg.Server, Presence: st.Presence}
	}
	l := &login{cfg: cfg, acct: acct, state: st, opts: opts}
	lists := newContactList(cfg, acct, st)
	res, cached, err := l.run(ctx, lists.handler(opts.Handler))
	if err != nil {
		return nil, err
	}
	s := &Session{Account: account, Result: res, Cached: cached, lists: lists}
	syncCtx, stopSync := context.WithoutCancel(ctx), context.CancelFunc(func() {})
	if d, ok := ctx.Deadline(); ok {
		syncCtx, stopSync = context.WithDeadline(syncCtx, d)
	}
	s.stopSync = stopSync
	lists.start(syncCtx, res.NS)
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

// ApplyList records a list change the server confirmed and saves the
// list.
func (s *Session) ApplyList(ch *proto.ListChange) { s.lists.apply(ch) }

// Close ends the session: it closes the connection, waits for the
// contact list sync to end and saves the list if it changed.
func (s *Session) Close() error {
	err := s.Result.NS.Close()
	s.lists.close()
	s.stopSync()
	return err
}

// HangUp says goodbye without waiting for the server's answer; Close
// still has to be called.
func (s *Session) HangUp() {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_ = s.Result.NS.Logout(ctx)
}
