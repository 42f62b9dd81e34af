package commands

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"msn/commands/session"
	"msn/proto"
)

// passwordFlags are the password-source flags shared by every command
// that may log in.
func passwordFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "password-stdin", Usage: "read the password from the first line of stdin"},
		&cli.StringFlag{Name: "password-file", EnvVars: []string{"MSN_PASSWORD_FILE"}, TakesFile: true, Usage: "read the password from the first line of a file of your own that only you can read (not a symbolic link)"},
		&cli.StringFlag{Name: "password-command", Usage: "run a shell command and use the first line of its output as the password"},
	}
}

// passwordSourcesOf reads the password flags of c.
func passwordSourcesOf(c *cli.Context) (passwordSources, error) {
	src := passwordSources{
		Stdin:   c.Bool("password-stdin"),
		File:    c.String("password-file"),
		Command: c.String("password-command"),
	}
	return src, src.check()
}

// noArgsPasswordSources is passwordSourcesOf for a command that takes
// no arguments: it refuses any first.
func noArgsPasswordSources(c *cli.Context) (passwordSources, error) {
	if err := argsAtMost(c, 0); err != nil {
		return passwordSources{}, err
	}
	return passwordSourcesOf(c)
}

// loginOptions are the inputs of msn login.
type loginOptions struct {
	Account string
	Session sessionOptions
}

// loginCommand returns msn login.
func loginCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:      "login",
		Usage:     "log in, cache what can be cached, and remember the account as the default",
		ArgsUsage: "[EMAIL]",
		Description: "Logs in with Passport (MSNP8), or with MD5 when --protocol msnp7 is given. " +
			"The password comes from --password-stdin, --password-file, --password-command, the keyring " +
			"(after --save-password), or a prompt when stdin is a terminal. The Passport ticket is cached, " +
			"so later commands need no password while the server accepts it. A password given with " +
			"--password-stdin, --password-file or --password-command is always checked: login then signs in " +
			"with it afresh instead of offering the cached ticket.",
		Flags: append(passwordFlags(),
			&cli.BoolFlag{Name: "save-password", Usage: "save the password in the keyring so later commands never ask"},
			&cli.BoolFlag{Name: "fresh", Usage: "ignore the cached ticket and ask Passport for a new one"},
		),
		Action: func(c *cli.Context) error {
			if err := argsAtMost(c, 1); err != nil {
				return err
			}
			src, err := passwordSourcesOf(c)
			if err != nil {
				return err
			}
			save := c.Bool("save-password")
			// A password given by a flag is always proved: the login
			// is a fresh one, never the cached ticket.
			fresh := c.Bool("fresh") || save || src.explicit()
			return runLogin(c.Context, env, loginOptions{
				Account: c.Args().First(),
				Session: sessionOptions{Password: src, Fresh: fresh, SavePassword: save},
			})
		},
	}
}

// runLogin logs in once and reports who is logged in.
func runLogin(ctx context.Context, env *Env, opts loginOptions) error {
	store, account, err := env.storeAndAccount(opts.Account)
	if err != nil {
		return err
	}
	ctx, cancel := env.budget(ctx, 0)
	defer cancel()
	s, err := env.openSession(ctx, account, opts.Session, session.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	res := s.Result
	s.HangUp()
	acct := store.Account(account, env.opts.Server)
	if err := env.recordSettings(acct); err != nil {
		env.Warnf("cannot record the settings: %v", err)
	}
	if err := acct.MakeDefault(); err != nil {
		env.Warnf("cannot save the default account: %v", err)
	}
	method := "passport"
	_, shared := s.SharedBy()
	switch {
	case shared:
		method = "shared session"
	case env.opts.Protocol == proto.MSNP7:
		method = "md5"
	case s.Cached:
		method = "cached ticket"
	}
	if env.opts.JSON {
		return env.printJSON(map[string]any{
			"type":     "login",
			"account":  account,
			"name":     res.FriendlyName,
			"verified": res.Verified,
			"protocol": string(env.opts.Protocol),
			"method":   method,
			"keyring":  store.Backend(),
		})
	}
	if env.opts.Quiet {
		return nil
	}
	_, err = fmt.Fprintf(env.Stdout, "logged in as %s (%s)\n", account, displayName(res.FriendlyName, account))
	return err
}

// displayName returns name, or the account when the server sent none.
func displayName(name, account string) string {
	if name == "" {
		return account
	}
	return oneLine(name)
}
