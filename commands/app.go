// Package commands holds the msn command-line interface: the app, its
// global flags, one file per command, output helpers, and the mapping of
// errors to exit codes. Commands parse flags and print; being signed in
// (login with the cache, conversations, answering rings, presence) is
// package commands/session, reached through env_session.go, and running
// a user's shell command is package commands/shell.
package commands

import (
	"time"

	"github.com/urfave/cli/v2"
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
		Before:               func(c *cli.Context) error { return env.beforeCommand(c) },
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
			versionCommand(env),
		},
		ExitErrHandler: func(*cli.Context, error) {},
	}
	installUsageErrors(app, env)
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
		&cli.StringSliceFlag{Name: "login-host", EnvVars: []string{"MSN_LOGIN_HOST"}, Usage: "also allow Passport logins at HOST on port 443, or at HOST:PORT (repeatable; in the environment, comma-separated)"},
		&cli.StringFlag{Name: "protocol", EnvVars: []string{"MSN_PROTOCOL"}, Value: "msnp8", Usage: "protocol version: msnp8, or msnp7 (MD5 login, weaker)"},
		&cli.StringFlag{Name: "ca-file", EnvVars: []string{"MSN_CA_FILE"}, TakesFile: true, Usage: "also trust the CA certificates in the PEM FILE"},
		&cli.StringFlag{Name: "keyring", EnvVars: []string{"MSN_KEYRING"}, Value: "auto", Usage: "where secrets are saved: auto, system, file or none"},
		&cli.DurationFlag{Name: "timeout", EnvVars: []string{"MSN_TIMEOUT"}, Value: DefaultTimeout, Usage: "give up after DURATION"},
		&cli.BoolFlag{Name: "json", EnvVars: []string{"MSN_JSON"}, Usage: "print JSON, one object per line"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, EnvVars: []string{"MSN_QUIET"}, Usage: "print only errors on stderr"},
		&cli.BoolFlag{Name: "debug", EnvVars: []string{"MSN_DEBUG"}, Usage: "print the wire transcript on stderr, secrets redacted"},
		&cli.BoolFlag{Name: "allow-private-servers", EnvVars: []string{"MSN_ALLOW_PRIVATE_SERVERS"}, Usage: "follow referrals to loopback and private addresses"},
		&cli.BoolFlag{Name: "version", Usage: "print the version of msn and exit"},
		&cli.BoolFlag{Name: "no-share", EnvVars: []string{"MSN_NO_SHARE"}, Usage: "sign in with a session of its own, even when another msn command holds the account's session (which that ends)"},
	}
}

// recordCommandNames makes every command note its full name in env,
// and start watching for interrupts, before it runs.
func recordCommandNames(app *cli.App, env *Env) {
	var walk func([]*cli.Command)
	walk = func(cmds []*cli.Command) {
		for _, cmd := range cmds {
			before := cmd.Before
			cmd.Before = func(c *cli.Context) error {
				env.command, env.cli = c.Command.FullName(), c
				env.watchInterrupt(c)
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

// watchInterrupt gives c, the first command to run, the context of
// env.Interrupt; its subcommands inherit it.
func (e *Env) watchInterrupt(c *cli.Context) {
	if e.Interrupt == nil {
		return
	}
	e.interruptOnce.Do(func() { c.Context = e.Interrupt(c.Context) })
}
