package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"msn/keyring"
	"msn/proto"
	"msn/proto/secret"
)

// maxTicketAge is how long a cached ticket is offered at all; older ones
// are left out instead of wasting a round trip.
const maxTicketAge = 24 * time.Hour

// sessionOptions tune the shared login flow.
type sessionOptions struct {
	Password     passwordSources
	Fresh        bool // do not offer the cached ticket
	SavePassword bool // save the password read from a flag or the prompt
	// Handler receives the notification connection's events (see
	// proto.Options.Handler); nil ignores them.
	Handler func(proto.Event)
	// KeepAlive pings the notification server that often; zero does not.
	KeepAlive time.Duration
	// BackgroundSync lets login return while the contact list sync (SYN
	// with the cached version) is still in flight, so that the command
	// can overlap its own requests with it; session.withList waits.
	BackgroundSync bool
}

// session is a logged-in notification-server connection and what the
// login learned.
type session struct {
	Account string
	Result  *proto.LoginResult
	// Cached reports that the cached ticket was accepted (no Passport
	// request for the ticket).
	Cached bool

	lists *sessionList
}

// Close ends the session and saves the contact list if it changed.
func (s *session) Close() error {
	err := s.Result.NS.Close()
	s.lists.close()
	return err
}

// withList waits for the contact list sync and calls fn with the list.
func (s *session) withList(ctx context.Context, fn func(cl *proto.ContactList) error) error {
	return s.lists.with(ctx, fn)
}

// applyList records a list change the server confirmed and saves the list.
func (s *session) applyList(ch *proto.ListChange) { s.lists.apply(ch) }

// storeAndAccount opens the keyring store and resolves the account: arg,
// else --account, else the store's default account.
func (e *Env) storeAndAccount(arg string) (*keyring.Store, string, error) {
	store, err := e.Store()
	if err != nil {
		return nil, "", err
	}
	account, err := e.resolveAccount(arg, store)
	if err != nil {
		return nil, "", err
	}
	return store, account, nil
}

// resolveAccount returns arg, else --account, else the default account.
func (e *Env) resolveAccount(arg string, store *keyring.Store) (string, error) {
	account := strings.TrimSpace(arg)
	if account == "" {
		account = e.opts.Account
	}
	if account == "" && store != nil {
		account = store.DefaultAccount()
	}
	if account == "" {
		return "", &codedError{code: ExConfig, err: errNoAccount, hint: "use --account EMAIL, or msn login EMAIL once"}
	}
	if err := checkAccount(account); err != nil {
		return "", err
	}
	return account, nil
}

// checkAccount rejects what cannot be a Passport address.
func checkAccount(a string) error {
	local, domain, ok := strings.Cut(a, "@")
	if !ok || local == "" || domain == "" || len(a) > 129 || strings.ContainsFunc(a, func(r rune) bool {
		return r <= ' ' || r == 0x7f
	}) {
		return usageErrorf("%q is not an email address", a)
	}
	return nil
}

// login logs account in using the cache: the notification server and
// Passport URL from the state file, the cached ticket when this server
// accepts reused tickets, and a password read only if one is needed. It
// updates the cache afterwards, then syncs the contact list against the
// cached version (waiting for it unless opts.BackgroundSync).
func (e *Env) login(ctx context.Context, account string, opts sessionOptions) (*session, error) {
	store, err := e.Store()
	if err != nil {
		return nil, err
	}
	if opts.SavePassword && store.Backend() == string(keyring.ModeNone) {
		return nil, &codedError{code: ExConfig, err: errors.New("--save-password: no keyring to save it in"),
			hint: "use --keyring system, or --keyring file to opt in to a 0600 file"}
	}
	st, err := store.State(account)
	if err != nil || st.Server != e.opts.Server {
		st = keyring.State{Server: e.opts.Server, Presence: st.Presence}
	}
	lists := newSessionList(e, store, account, st)
	cfg := proto.LoginConfig{
		Server:   e.opts.Server,
		Email:    account,
		Protocol: e.opts.Protocol,
		Options:  e.protoOptions(),
	}
	cfg.Options.Handler, cfg.Options.KeepAlive = lists.handler(opts.Handler), opts.KeepAlive
	if e.opts.Protocol == proto.MSNP8 {
		pc, err := e.Passport()
		if err != nil {
			return nil, err
		}
		pc.LoginURL = st.LoginURL
		cfg.Passport = pc
		defer pc.CloseIdle()
		if !opts.Fresh && st.TicketReuse != "no" {
			cfg.Ticket = e.cachedTicket(store, account)
		}
	}
	pw := &lazyPassword{read: func(ctx context.Context) (secret.String, bool, error) {
		return e.readPassword(ctx, opts.Password, store, account)
	}}
	cfg.Password = pw.get

	res, err := e.loginVia(ctx, cfg, st.NSAddr)
	if err != nil {
		if !cfg.Ticket.Empty() && (errors.Is(err, proto.ErrAuthFailed) || errors.Is(err, proto.ErrNoPassword) || errors.Is(err, errNoPasswordSource)) {
			_ = store.DeleteTicket(account)
		}
		return nil, e.explainLoginError(err, pw)
	}
	s := &session{Account: account, Result: res, Cached: !cfg.Ticket.Empty() && !res.Fresh && !res.CachedRejected, lists: lists}
	e.saveLogin(store, account, st, cfg, s)
	lists.start(ctx, res.NS)
	if !opts.BackgroundSync {
		if err := lists.wait(ctx); err != nil {
			_ = s.Close()
			return nil, fmt.Errorf("contact list: %w", err)
		}
	}
	if opts.SavePassword {
		if err := e.savePassword(ctx, store, account, pw); err != nil {
			_ = s.Close()
			return nil, err
		}
	}
	return s, nil
}

// loginVia tries the cached notification server first, when there is one,
// and falls back to --server if it cannot be reached.
func (e *Env) loginVia(ctx context.Context, cfg proto.LoginConfig, nsAddr string) (*proto.LoginResult, error) {
	if nsAddr != "" && nsAddr != cfg.Server {
		direct := cfg
		direct.Server = nsAddr
		res, err := proto.Login(ctx, direct)
		if err == nil || ExitCode(err) != ExNoHost {
			return res, err
		}
	}
	return proto.Login(ctx, cfg)
}

// cachedTicket returns the saved ticket of account if it is recent enough.
func (e *Env) cachedTicket(store *keyring.Store, account string) secret.String {
	t, err := store.Ticket(account)
	if err != nil {
		if !errors.Is(err, keyring.ErrNotFound) {
			e.Warnf("keyring: cannot read the cached ticket: %v", err)
		}
		return secret.String{}
	}
	if t.Value.Empty() || time.Since(t.Issued) > maxTicketAge {
		return secret.String{}
	}
	return t.Value
}

// saveLogin records what the login learned. Failures only warn: the login
// itself succeeded.
func (e *Env) saveLogin(store *keyring.Store, account string, st keyring.State, cfg proto.LoginConfig, s *session) {
	res := s.Result
	st.Server = e.opts.Server
	if res.NSAddr != "" {
		st.NSAddr = res.NSAddr
	}
	if cfg.Passport != nil && cfg.Passport.LoginURL != "" {
		st.LoginURL = cfg.Passport.LoginURL
	}
	switch {
	case res.CachedRejected:
		st.TicketReuse = "no"
	case s.Cached:
		st.TicketReuse = "yes"
	}
	if err := store.SaveState(account, st); err != nil {
		e.Warnf("cannot save the login cache: %v", err)
	}
	if st.TicketReuse == "no" {
		_ = store.DeleteTicket(account)
	} else if res.Fresh && !res.Ticket.Empty() {
		if err := store.SetTicket(account, keyring.Ticket{Value: res.Ticket, Issued: time.Now()}); err != nil {
			e.Warnf("cannot cache the ticket: %v", err)
		}
	}
	if err := store.SetDefaultAccount(account); err != nil {
		e.Warnf("cannot save the default account: %v", err)
	}
}

// savePassword stores the password that was read, asking for it now when
// the login did not need it (a cached ticket was accepted).
func (e *Env) savePassword(ctx context.Context, store *keyring.Store, account string, pw *lazyPassword) error {
	value, fromKeyring, err := pw.value(ctx)
	if err != nil {
		return fmt.Errorf("--save-password: %w", err)
	}
	if fromKeyring {
		return nil
	}
	if err := store.SetPassword(account, value); err != nil {
		return fmt.Errorf("--save-password: %w", err)
	}
	return nil
}

// explainLoginError adds a hint to the common login failures.
func (e *Env) explainLoginError(err error, pw *lazyPassword) error {
	switch ExitCode(err) {
	case ExNoPerm:
		if pw.usedKeyring() {
			return withHint(err, "the saved password was refused; run msn login --save-password to replace it")
		}
	case ExNoHost:
		if hintOf(err) == "" {
			return withHint(err, fmt.Sprintf("check --server (%s) and --nexus", e.opts.Server))
		}
	case ExTempFail:
		if errors.Is(err, context.DeadlineExceeded) {
			return withHint(err, fmt.Sprintf("no answer within --timeout %s", e.opts.Timeout))
		}
	}
	return err
}

// lazyPassword reads the password at most once, and only when asked.
type lazyPassword struct {
	read func(ctx context.Context) (secret.String, bool, error)

	mu          sync.Mutex
	done        bool
	pw          secret.String
	fromKeyring bool
	err         error
}

// get is the proto.LoginConfig.Password function.
func (l *lazyPassword) get(ctx context.Context) (secret.String, error) {
	pw, _, err := l.value(ctx)
	return pw, err
}

// value reads the password on first use and returns the same result
// afterwards.
func (l *lazyPassword) value(ctx context.Context) (secret.String, bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.done {
		l.pw, l.fromKeyring, l.err = l.read(ctx)
		l.done = true
	}
	return l.pw, l.fromKeyring, l.err
}

// usedKeyring reports whether the password came from the keyring.
func (l *lazyPassword) usedKeyring() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.done && l.err == nil && l.fromKeyring
}
