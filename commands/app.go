// Package commands holds the msn command-line interface: the app, its
// global flags, one file per command, output helpers, and the mapping of
// errors to exit codes. Commands parse flags and print; being signed in
// (login with the cache, conversations, answering rings, presence) is
// package commands/session, reached through env_session.go, and running
// a user's shell command is package commands/shell.
package commands

import (
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"msn/keyring"
)

// Defaults of the global flags.
const (
	DefaultServer  = "messenger.hotmail.com:1863"
	DefaultNexus   = "https://nexus.passport.com/rdr/pprdr.asp"
	DefaultTimeout = 30 * time.Second
)

// NewApp returns the msn application over the process's standard streams.
func NewApp() *cli.App { return NewAppWithEnv(NewEnv()) }

// NewAppWithEnv returns the msn application doing all its I/O through env.
func NewAppWithEnv(env *Env) *cli.App {
	app := &cli.App{
		Name:                 "msn",
		Usage:                "MSN Messenger from the command line",
		UsageText:            "msn [global options] command [command options] [arguments...]",
		Description:          "msn speaks MSNP8 (Passport) and, when asked, MSNP7 to MSN Messenger servers. Each command opens a short session, does one job and exits with a code from sysexits(3). Flags go before arguments.",
		HideVersion:          true,
		EnableBashCompletion: true,
		Writer:               env.Stdout,
		ErrWriter:            env.Stderr,
		Reader:               env.Stdin,
		Flags:                globalFlags(),
		Before:               func(c *cli.Context) error { return env.parseGlobals(c) },
		Commands: []*cli.Command{
			loginCommand(env),
			logoutCommand(env),
			statusCommand(env),
			contactsCommand(env),
			profileCommand(env),
			serveCommand(env),
			demoCommand(env),
			sendCommand(env),
			listenCommand(env),
			notifyCommand(env),
			sendfileCommand(env),
			recvfileCommand(env),
			upCommand(env),
		},
		ExitErrHandler: func(*cli.Context, error) {},
	}
	installUsageErrors(app)
	recordCommandNames(app, env)
	installCompletion(app, env)
	return app
}

// globalFlags returns the flags every command shares, each with its
// environment twin.
func globalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "account", Aliases: []string{"a"}, EnvVars: []string{"MSN_ACCOUNT"}, Usage: "the Passport EMAIL to act as (default: the last account that logged in)"},
		&cli.StringFlag{Name: "server", EnvVars: []string{"MSN_SERVER"}, Value: DefaultServer, Usage: "dispatch or notification server HOST:PORT"},
		&cli.StringFlag{Name: "nexus", EnvVars: []string{"MSN_NEXUS"}, Value: DefaultNexus, Usage: "Passport nexus URL (https)"},
		&cli.StringSliceFlag{Name: "login-host", Usage: "also allow Passport logins at HOST (repeatable)"},
		&cli.StringFlag{Name: "protocol", EnvVars: []string{"MSN_PROTOCOL"}, Value: "msnp8", Usage: "protocol version: msnp8, or msnp7 (MD5 login, weaker)"},
		&cli.StringFlag{Name: "ca-file", EnvVars: []string{"MSN_CA_FILE"}, TakesFile: true, Usage: "also trust the CA certificates in the PEM FILE"},
		&cli.StringFlag{Name: "keyring", EnvVars: []string{"MSN_KEYRING"}, Value: "auto", Usage: "where secrets are saved: auto, system, file or none"},
		&cli.DurationFlag{Name: "timeout", EnvVars: []string{"MSN_TIMEOUT"}, Value: DefaultTimeout, Usage: "give up after DURATION"},
		&cli.BoolFlag{Name: "json", EnvVars: []string{"MSN_JSON"}, Usage: "print JSON, one object per line"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print only errors on stderr"},
		&cli.BoolFlag{Name: "debug", EnvVars: []string{"MSN_DEBUG"}, Usage: "print the wire transcript on stderr, secrets redacted"},
		&cli.BoolFlag{Name: "allow-private-servers", Usage: "follow referrals to loopback and private addresses"},
		&cli.BoolFlag{Name: "no-share", EnvVars: []string{"MSN_NO_SHARE"}, Usage: "sign in with a session of its own, even when another msn command holds the account's session (which that ends)"},
	}
}

// parseGlobals checks the global flags and stores them in env.
func (e *Env) parseGlobals(c *cli.Context) error {
	o := globalOptions{
		Account:      strings.TrimSpace(c.String("account")),
		Server:       strings.TrimSpace(c.String("server")),
		Nexus:        strings.TrimSpace(c.String("nexus")),
		LoginHosts:   c.StringSlice("login-host"),
		CAFile:       c.String("ca-file"),
		Timeout:      c.Duration("timeout"),
		JSON:         c.Bool("json"),
		Quiet:        c.Bool("quiet"),
		Debug:        c.Bool("debug"),
		AllowPrivate: c.Bool("allow-private-servers"),
		NoShare:      c.Bool("no-share"),
	}
	var err error
	if o.Protocol, err = parseProtocol(orDefault(c.String("protocol"), "msnp8")); err != nil {
		return err
	}
	if o.Keyring, err = parseKeyringMode(orDefault(c.String("keyring"), string(keyring.ModeAuto))); err != nil {
		return err
	}
	o.Server = orDefault(o.Server, DefaultServer)
	o.Nexus = orDefault(o.Nexus, DefaultNexus)
	o.explicit = explicitFlags(c)
	if o.Timeout <= 0 {
		return configErrorf("--timeout %s: want a positive duration", o.Timeout)
	}
	e.opts = o
	return nil
}

// orDefault returns s, or def when s is blank (an empty environment
// variable).
func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// installUsageErrors makes every usage error return exit code 64 with a
// one-line message on stderr instead of the help text on stdout.
func installUsageErrors(app *cli.App) {
	onUsage := func(c *cli.Context, err error, isSubcommand bool) error {
		msg := err.Error()
		if strings.Contains(msg, "env var") {
			return withCode(ExConfig, err)
		}
		name := "msn"
		if isSubcommand && c.Command != nil && c.Command.Name != "" {
			name = "msn " + c.Command.Name
		}
		return &codedError{code: ExUsage, err: err, hint: fmt.Sprintf("see %s --help", name)}
	}
	app.OnUsageError = onUsage
	var notFound string
	app.CommandNotFound = func(c *cli.Context, name string) { notFound = name }
	app.Action = func(c *cli.Context) error {
		if c.Args().Present() {
			return &codedError{code: ExUsage, err: fmt.Errorf("unknown command %q", c.Args().First()), hint: "see msn --help"}
		}
		return cli.ShowAppHelp(c)
	}
	app.After = func(*cli.Context) error {
		if notFound != "" {
			return &codedError{code: ExUsage, err: fmt.Errorf("no help for unknown command %q", notFound), hint: "see msn --help"}
		}
		return nil
	}
	var walk func([]*cli.Command)
	walk = func(cmds []*cli.Command) {
		for _, cmd := range cmds {
			cmd.OnUsageError = onUsage
			walk(cmd.Subcommands)
		}
	}
	walk(app.Commands)
}

// argsAtMost fails with a usage error when c has more than n positional
// arguments, which is also what a flag placed after an argument becomes.
func argsAtMost(c *cli.Context, n int) error {
	if c.NArg() <= n {
		return nil
	}
	extra := c.Args().Slice()[n:]
	for _, a := range extra {
		if strings.HasPrefix(a, "-") {
			return &codedError{code: ExUsage, err: fmt.Errorf("%s: unexpected argument %q", c.Command.Name, a), hint: "flags go before arguments"}
		}
	}
	return usageErrorf("%s: unexpected arguments %q", c.Command.Name, extra)
}

// recordCommandNames makes every command note its full name in env
// before it runs.
func recordCommandNames(app *cli.App, env *Env) {
	var walk func([]*cli.Command)
	walk = func(cmds []*cli.Command) {
		for _, cmd := range cmds {
			before := cmd.Before
			cmd.Before = func(c *cli.Context) error {
				env.command = c.Command.FullName()
				if before != nil {
					return before(c)
				}
				return nil
			}
			walk(cmd.Subcommands)
		}
	}
	walk(app.Commands)
}
