package session

import (
	"context"
	"errors"
	"fmt"
	"time"

	"msn/keyring"
	"msn/proto"
	"msn/proto/secret"
)

// MaxTicketAge is how long a cached ticket is offered at all; older ones
// are left out instead of wasting a round trip.
const MaxTicketAge = 24 * time.Hour

// login is one run of the login flow for an account.
type login struct {
	cfg   Config
	acct  keyring.Account
	state keyring.State // the account's cache, for this --server
	opts  Options
	pw    *lazyPassword
}

// run logs in with handler receiving the connection's events, and
// records what the login learned. cached reports that the cached ticket
// was accepted.
func (l *login) run(ctx context.Context, handler func(proto.Event)) (res *proto.LoginResult, cached bool, err error) {
	cfg := proto.LoginConfig{
		Server:   l.cfg.Server,
		Email:    l.acct.Email(),
		Protocol: l.cfg.Protocol,
		Options:  l.cfg.Engine,
	}
	cfg.Options.Handler = handler
	cfg.Options.KeepAlive, cfg.Options.KeepAliveWait = l.opts.KeepAlive, l.opts.KeepAliveWait
	if l.cfg.Protocol == proto.MSNP8 {
		pc, err := l.cfg.Passport()
		if err != nil {
			return nil, false, err
		}
		pc.LoginURL = l.state.LoginURL
		cfg.Passport = pc
		defer pc.CloseIdle()
		if !l.opts.Fresh && l.state.TicketReuse != "no" {
			cfg.Ticket = l.cachedTicket()
		}
	}
	l.pw = &lazyPassword{read: l.opts.Password}
	cfg.Password = l.pw.get

	res, err = l.via(ctx, cfg)
	if err != nil {
		if !cfg.Ticket.Empty() && (errors.Is(err, proto.ErrAuthFailed) || errors.Is(err, proto.ErrNoPassword) || errors.Is(err, ErrNoPasswordSource)) {
			_ = l.acct.DeleteTicket()
		}
		return nil, false, &LoginError{Err: err, SavedPassword: l.pw.usedKeyring()}
	}
	cached = !cfg.Ticket.Empty() && !res.Fresh && !res.CachedRejected
	l.save(cfg, res, cached)
	return res, cached, nil
}

// via tries the cached notification server first, when there is one,
// and falls back to --server if it cannot be reached.
func (l *login) via(ctx context.Context, cfg proto.LoginConfig) (*proto.LoginResult, error) {
	if ns := l.state.NSAddr; ns != "" && ns != cfg.Server {
		direct := cfg
		direct.Server = ns
		res, err := proto.Login(ctx, direct)
		if err == nil || !Unreachable(err) {
			return res, err
		}
	}
	return proto.Login(ctx, cfg)
}

// cachedTicket returns the saved ticket if it is recent enough.
func (l *login) cachedTicket() secret.String {
	t, err := l.acct.Ticket()
	if err != nil {
		if !errors.Is(err, keyring.ErrNotFound) {
			l.cfg.warnf("keyring: cannot read the cached ticket: %v", err)
		}
		return secret.String{}
	}
	if t.Value.Empty() || time.Since(t.Issued) > MaxTicketAge {
		return secret.String{}
	}
	return t.Value
}

// save records what the login learned. Failures only warn: the login
// itself succeeded.
func (l *login) save(cfg proto.LoginConfig, res *proto.LoginResult, cached bool) {
	st := l.state
	st.Server = l.cfg.Server
	if res.NSAddr != "" {
		st.NSAddr = res.NSAddr
	}
	if cfg.Passport != nil && cfg.Passport.LoginURL != "" {
		st.LoginURL = cfg.Passport.LoginURL
	}
	switch {
	case res.CachedRejected:
		st.TicketReuse = "no"
	case cached:
		st.TicketReuse = "yes"
	}
	if err := l.acct.SaveState(st); err != nil {
		l.cfg.warnf("cannot save the login cache: %v", err)
	}
	if st.TicketReuse == "no" {
		_ = l.acct.DeleteTicket()
	} else if res.Fresh && !res.Ticket.Empty() {
		if err := l.acct.SetTicket(keyring.Ticket{Value: res.Ticket, Issued: time.Now()}); err != nil {
			l.cfg.warnf("cannot cache the ticket: %v", err)
		}
	}
}

// savePassword stores the password that was read, asking for it now when
// the login did not need it (a cached ticket was accepted).
func (l *login) savePassword(ctx context.Context) error {
	value, fromKeyring, err := l.pw.value(ctx)
	if err != nil {
		return fmt.Errorf("--save-password: %w", err)
	}
	if fromKeyring {
		return nil
	}
	if err := l.acct.SetPassword(value); err != nil {
		return fmt.Errorf("--save-password: %w", err)
	}
	return nil
}
