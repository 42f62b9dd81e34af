package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"msn/commands/session"
	"msn/keyring"
	"msn/proto"
)

// presenceStates are the states msn status set accepts, in the order
// the help lists them.
var presenceStates = []proto.Status{
	proto.StatusOnline, proto.StatusBusy, proto.StatusIdle, proto.StatusBRB,
	proto.StatusAway, proto.StatusPhone, proto.StatusLunch, proto.StatusHidden,
}

// presenceNames returns the names of presenceStates joined by commas.
func presenceNames() string {
	names := make([]string, len(presenceStates))
	for i, s := range presenceStates {
		names[i] = s.String()
	}
	return strings.Join(names, ", ")
}

// statusSetCommand returns msn status set.
func statusSetCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:      "set",
		Usage:     "set the presence msn's own sessions show (" + presenceNames() + "); without STATE, print it",
		ArgsUsage: "[STATE]",
		Description: "Presence lasts only as long as a session, so this stores the state that later msn " +
			"sessions announce (default online), and sets it at once in the account's shared session when a " +
			"command holds one (msn up, listen, ...). Otherwise it needs no network. msn status itself always looks hidden.",
		Action: func(c *cli.Context) error {
			if err := argsAtMost(c, 1); err != nil {
				return err
			}
			return runStatusSet(c.Context, env, c.Args().First())
		},
	}
}

// parsePresence accepts a state msn status set can store.
func parsePresence(arg string) (proto.Status, error) {
	s, ok := proto.ParseStatus(strings.TrimSpace(arg))
	if !ok || s == proto.StatusOffline || !s.Valid() {
		return "", withHint(usageErrorf("status set: unknown state %s", quote(arg)), "want one of "+presenceNames())
	}
	return s, nil
}

// runStatusSet stores (or, with no argument, prints) the presence, and
// sets it in the account's shared session when one is held.
func runStatusSet(ctx context.Context, env *Env, arg string) error {
	store, account, err := env.storeAndAccount("")
	if err != nil {
		return err
	}
	acct := store.Account(account, env.opts.Server)
	st, err := acct.State()
	if err != nil {
		return err
	}
	if arg != "" {
		s, err := parsePresence(arg)
		if err != nil {
			return err
		}
		if st.Presence != s.String() { // the state file is rewritten only for a change
			st.Presence = s.String()
			if err := acct.SaveState(st); err != nil {
				return fmt.Errorf("status set: %w", err)
			}
		}
		bctx, cancel := env.budget(ctx, 0)
		defer cancel()
		if _, err := session.SetSharedStatus(bctx, env.sessionConfig(store), account, s); err != nil {
			return fmt.Errorf("status set: the shared session: %w", err)
		}
	}
	status := presenceOf(st)
	if env.opts.JSON {
		return env.printJSON(map[string]any{"type": "presence-setting", "account": account, "status": status.String()})
	}
	if env.opts.Quiet && arg != "" {
		return nil
	}
	_, err = fmt.Fprintf(env.Stdout, "%s appears %s in msn's sessions\n", account, status)
	return err
}

// presenceOf returns the presence stored by msn status set, online by
// default.
func presenceOf(st keyring.State) proto.Status {
	if s, ok := proto.ParseStatus(st.Presence); ok && s != proto.StatusOffline {
		return s
	}
	return proto.StatusOnline
}

// ownPresence returns the presence account's own sessions announce: the
// one stored by msn status set, or online. With warn, a stored state that
// cannot be used is reported.
func (e *Env) ownPresence(account string, warn bool) proto.Status {
	store, err := e.Store()
	if err != nil {
		return proto.StatusOnline
	}
	st, err := store.Account(account, e.opts.Server).State()
	if err != nil {
		return proto.StatusOnline
	}
	if warn && st.Presence != "" {
		if s, ok := proto.ParseStatus(st.Presence); !ok || s == proto.StatusOffline {
			e.Warnf("ignoring the saved status %q; using online", escapeDisplay(st.Presence))
		}
	}
	return presenceOf(st)
}
