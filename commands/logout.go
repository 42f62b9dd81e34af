package commands

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/urfave/cli/v2"

	"msn/keyring"
)

// logoutCommand returns msn logout.
func logoutCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:      "logout",
		Usage:     "forget the cached ticket, saved password and cached state of an account",
		ArgsUsage: "[EMAIL]",
		Action: func(c *cli.Context) error {
			if err := argsAtMost(c, 1); err != nil {
				return err
			}
			return runLogout(env, c.Args().First())
		},
	}
}

// runLogout removes everything saved for an account and says what it was.
func runLogout(env *Env, arg string) error {
	store, account, err := env.storeAndAccount(arg)
	if err != nil {
		return err
	}
	acct := store.Account(account)
	var removed []string
	if _, err := acct.Ticket(); err == nil {
		removed = append(removed, "ticket")
	}
	if _, err := acct.Password(); err == nil {
		removed = append(removed, "password")
	}
	if st, err := acct.State(); err == nil && !reflect.DeepEqual(st, keyring.State{}) {
		removed = append(removed, "state")
	}
	if err := acct.Forget(); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("logout %s: %w", account, err)
	}
	if acct.IsDefault() {
		if err := store.SetDefaultAccount(""); err != nil {
			env.Warnf("cannot clear the default account: %v", err)
		}
	}
	if env.opts.JSON {
		if removed == nil {
			removed = []string{}
		}
		return env.printJSON(map[string]any{"type": "logout", "account": account, "removed": removed})
	}
	if env.opts.Quiet {
		return nil
	}
	if len(removed) == 0 {
		_, err = fmt.Fprintf(env.Stdout, "nothing saved for %s\n", account)
		return err
	}
	_, err = fmt.Fprintf(env.Stdout, "forgot %s: %s\n", account, strings.Join(removed, ", "))
	return err
}
