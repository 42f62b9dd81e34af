package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"msn/commands/session"
	"msn/commands/session/share"
	"msn/keyring"
	"msn/proto"
	"msn/proto/secret"
)

// sessionOptions are the login flags of a command.
type sessionOptions struct {
	Password     passwordSources
	Fresh        bool // do not offer the cached ticket
	SavePassword bool // save the password read from a flag or the prompt
	// Presence, for a long-running session, is announced instead of the
	// one saved by msn status set; "" uses the saved one.
	Presence proto.Status
}

// sessionConfig returns what package session takes from the global
// flags and the environment.
func (e *Env) sessionConfig(store *keyring.Store) session.Config {
	return session.Config{
		Server:   e.opts.Server,
		Protocol: e.opts.Protocol,
		Engine:   e.protoOptions(),
		Passport: e.Passport,
		Store:    store,
		Warn:     e.Warnf,
		Timeout:  e.opts.Timeout,
		ShareDir: e.shareDir(store),
		Command:  e.command,
	}
}

// shareDir returns the directory of the session sockets, or "" with
// --no-share.
func (e *Env) shareDir(store *keyring.Store) string {
	if e.opts.NoShare {
		return ""
	}
	return share.Dir(store.Dir())
}

// sessionLogin returns the session options of the login flags so, for
// account in store.
func (e *Env) sessionLogin(so sessionOptions, store *keyring.Store, account string) session.Options {
	return session.Options{
		Fresh:        so.Fresh,
		SavePassword: so.SavePassword,
		Password: func(ctx context.Context) (secret.String, bool, error) {
			return e.readPassword(ctx, so.Password, store, account)
		},
	}
}

// budget returns ctx bounded by the command's one --timeout budget: a
// deadline fixed at the first call, --timeout after it, plus extra for
// the waits that have their own flag (--wait-online) and run inside.
// Every phase of the command shares it.
func (e *Env) budget(ctx context.Context, extra time.Duration) (context.Context, context.CancelFunc) {
	e.budgetOnce.Do(func() {
		e.promptErr = e.promptBeforeBudget(ctx, e.cli)
		e.deadline = time.Now().Add(e.opts.Timeout + extra)
	})
	return context.WithDeadline(ctx, e.deadline)
}

// openSession logs account in through package session, with the login
// flags so and the session options o (their Password, Fresh and
// SavePassword come from so).
func (e *Env) openSession(ctx context.Context, account string, so sessionOptions, o session.Options) (*session.Session, error) {
	store, err := e.checkedStore(ctx, so)
	if err != nil {
		return nil, err
	}
	e.warnEndingHolder(ctx, store, account)
	lo := e.sessionLogin(so, store, account)
	o.Password, o.Fresh, o.SavePassword = lo.Password, lo.Fresh, lo.SavePassword
	s, err := session.Open(ctx, e.sessionConfig(store), account, o)
	return s, e.explainLoginError(err)
}

// checkedStore opens the keyring store, refuses --save-password when it
// saves no secrets, and reads the password of a password flag now
// (checkPasswordSource), whether or not the sign-in will need it.
func (e *Env) checkedStore(ctx context.Context, so sessionOptions) (*keyring.Store, error) {
	store, err := e.Store()
	if err != nil {
		return nil, err
	}
	if so.SavePassword && store.Backend() == string(keyring.ModeNone) {
		return nil, &codedError{code: ExConfig, err: errors.New("--save-password: no keyring to save it in"),
			hint: "use --keyring system, or --keyring file to opt in to a 0600 file"}
	}
	if err := e.checkPasswordSource(ctx, so.Password); err != nil {
		return nil, err
	}
	return store, nil
}

// explainLoginError adds a hint to the common login failures; other
// errors pass unchanged.
func (e *Env) explainLoginError(err error) error {
	var le *session.LoginError
	if !errors.As(err, &le) {
		return err
	}
	switch ExitCode(err) {
	case ExNoUser:
		if errors.As(err, new(*proto.MD5AccountError)) {
			return withHint(err, "an account made for MSNP8 only has no MSNP7 password: try --protocol msnp8")
		}
	case ExNoPerm:
		if le.SavedPassword {
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

// storeAndAccount resolves the account (arg, else --account, else the
// default account), applies the settings login recorded for it, and
// opens the keyring store.
func (e *Env) storeAndAccount(arg string) (*keyring.Store, string, error) {
	account := strings.TrimSpace(arg)
	if account == "" {
		account = e.opts.Account
	}
	account = e.applyRecorded(account)
	if account == "" {
		return nil, "", &codedError{code: ExConfig, err: errNoAccount, hint: "use --account EMAIL, or msn login EMAIL once"}
	}
	if err := checkAccount(account); err != nil {
		return nil, "", err
	}
	store, err := e.Store()
	if err != nil {
		return nil, "", err
	}
	e.account = account
	return store, account, nil
}

// checkAccount rejects what cannot be a Passport address, before anything
// is sent: proto.CheckAccount, which also refuses bidi controls,
// zero-width and other invisible characters. The address is shown
// escaped, never raw.
func checkAccount(a string) error {
	if proto.CheckAccount(a) != nil {
		if strings.ContainsFunc(a, proto.HiddenRune) {
			return &codedError{code: ExUsage, err: fmt.Errorf("%s is not an email address", quoteDisplay(a)),
				hint: "it holds an invisible or control character (shown escaped); type the address again"}
		}
		return usageErrorf("%s is not an email address", quoteDisplay(a))
	}
	return nil
}

// stayOnline logs account in for a long-running command (listen,
// recvfile, up): keep-alive, the list sync in the background, each ring
// passed to ring on the reader goroutine (ring must not block), the
// presence saved by msn status set (or so.Presence), and the session
// served to the account's other commands; or, when another process
// holds the account's session, it runs through that one. It says on
// stderr "DOING as ACCOUNT (STATUS)". Going online takes --timeout, each
// time it is called; the session itself lasts as long as ctx.
func (e *Env) stayOnline(ctx context.Context, account string, so sessionOptions, ring func(*proto.Ring), doing string) (*session.Online, error) {
	store, err := e.checkedStore(ctx, so)
	if err != nil {
		return nil, err
	}
	if err := e.promptFirst(ctx, so, store, account); err != nil && !errors.Is(err, errNoPasswordSource) {
		return nil, err
	}
	e.warnEndingHolder(ctx, store, account)
	setup, cancel := context.WithTimeout(ctx, e.opts.Timeout)
	defer cancel()
	opts := e.sessionLogin(so, store, account)
	opts.KeepAlive, opts.KeepAliveWait = keepAliveInterval, keepAliveWait
	status := so.Presence
	presence := func() proto.Status {
		if status == "" {
			status = e.ownPresence(account, true)
		}
		return status
	}
	on, err := session.StayOnline(ctx, setup, e.sessionConfig(store), account, opts, presence, ring)
	if err != nil {
		return nil, &lostSession{err: e.explainLoginError(err)}
	}
	if by, shared := on.Session.SharedBy(); shared {
		e.Warnf("%s as %s, through the session %s holds", doing, account, holderName(by))
		return on, nil
	}
	e.Warnf("%s as %s (%s)", doing, account, status)
	if status == proto.StatusHidden {
		e.Warnf("while hidden nobody can invite you; msn status set online changes that")
	}
	return on, nil
}

// warnEndingHolder says, with --no-share, which command's session the
// sign-in is about to end, so that nobody wonders who signed in
// elsewhere.
func (e *Env) warnEndingHolder(ctx context.Context, store *keyring.Store, account string) {
	if !e.opts.NoShare {
		return
	}
	cfg := e.sessionConfig(store)
	cfg.ShareDir = share.Dir(store.Dir())
	if h, held, _ := session.SharedHolder(ctx, cfg, account); held {
		e.Warnf("--no-share: this sign-in ends the session %s holds", holderName(h))
	}
}

// holderName names the process that holds a shared session: "msn
// listen (pid 123)".
func holderName(h share.HolderInfo) string {
	return fmt.Sprintf("msn %s (pid %d)", h.Command, h.PID)
}

// troubleText says what an answerer could not do, for a warning.
func troubleText(t session.Trouble) string {
	if t.Ended() {
		return convEndText(t)
	}
	from := escapeDisplay(t.From)
	switch t.Kind {
	case session.TooManyConversations:
		return fmt.Sprintf("ignoring an invitation from %s: %d conversations are open and busy", from, session.MaxConversations)
	case session.TooManyInvitations:
		return fmt.Sprintf("ignoring an invitation from %s: %d are waiting", from, session.MaxPendingInvites)
	}
	return fmt.Sprintf("cannot answer %s: %v", from, t.Err)
}
