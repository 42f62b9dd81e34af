package commands

import (
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"msn/keyring"
)

// logoutCommand returns msn logout.
func logoutCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:      "logout",
		Usage:     "forget the cached tickets, saved passwords, cached state and recorded settings of an account, for every server",
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
	removed, err := store.ForgetAccount(account)
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("logout %s: %w", account, err)
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
