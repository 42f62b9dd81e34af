package commands

import (
	"context"
	"errors"
	"time"

	"github.com/urfave/cli/v2"

	"msn/commands/session"
	"msn/keyring"
	"msn/proto"
	"msn/proto/secret"
)

// promptFirst asks for the password of account on the terminal before
// the command's --timeout starts, when signing in will need one that
// nothing else supplies: no password flag, no saved password, no
// session held by another command, and no cached ticket to offer (or
// MSNP7, which always needs the password). The time a person takes to
// type it is not the server's. A cached ticket the server refuses
// still leads to a prompt during the sign-in.
func (e *Env) promptFirst(ctx context.Context, so sessionOptions, store *keyring.Store, account string) error {
	if e.Prompt == nil || so.Password.explicit() || !e.prompted.Empty() || store == nil {
		return nil
	}
	acct := store.Account(account, e.opts.Server)
	if pw, err := acct.Password(); err == nil && !pw.Empty() {
		return nil
	}
	if e.opts.Protocol != proto.MSNP7 && !so.Fresh && hasUsableTicket(acct) {
		return nil
	}
	if _, held, _ := session.SharedHolder(ctx, e.sessionConfig(store), account); held {
		return nil
	}
	pw, _, err := e.readPassword(ctx, so.Password, store, account)
	if err != nil {
		return err
	}
	e.prompted = pw
	return nil
}

// hasUsableTicket reports whether the login would offer a cached ticket
// for acct, so that it may need no password at all.
func hasUsableTicket(acct keyring.Account) bool {
	if st, err := acct.State(); err == nil && st.TicketReuse == "no" {
		return false
	}
	t, err := acct.Ticket()
	return err == nil && !t.Value.Empty() && time.Since(t.Issued) <= session.MaxTicketAge
}

// promptBeforeBudget runs promptFirst for a command that signs in with
// the password flags of c, before its budget starts.
func (e *Env) promptBeforeBudget(ctx context.Context, c *cli.Context) error {
	if c == nil || c.Command == nil || findFlag(c.Command.Flags, "password-stdin") == nil || e.account == "" {
		return nil
	}
	src, err := passwordSourcesOf(c)
	if err != nil {
		return err
	}
	store, err := e.Store()
	if err != nil {
		return nil
	}
	so := sessionOptions{Password: src, Fresh: c.Bool("fresh") || c.Bool("save-password")}
	err = e.promptFirst(ctx, so, store, e.account)
	if errors.Is(err, errNoPasswordSource) {
		return nil
	}
	return err
}

// promptedPassword returns the password promptFirst read, if any.
func (e *Env) promptedPassword() (secret.String, bool) {
	return e.prompted, !e.prompted.Empty()
}
