package commands

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/urfave/cli/v2"
)

// installUsageErrors makes every usage error exit 64 with a one-line
// message on stderr (and a hint) instead of the help text on stdout; an
// environment variable the flags cannot parse exits 78. A bare msn, or
// a command that needs a subcommand given none, prints its help on
// stderr and exits 64.
func installUsageErrors(app *cli.App, env *Env) {
	onUsage := func(c *cli.Context, err error, isSubcommand bool) error {
		return usageError(c, err, isSubcommand)
	}
	app.OnUsageError = onUsage
	var notFound string
	app.CommandNotFound = func(c *cli.Context, name string) { notFound = name }
	app.Action = func(c *cli.Context) error {
		if c.Args().Present() {
			return unknownCommand("msn", c.Args().First(), c.App.Commands)
		}
		cli.HelpPrinter(env.Stderr, cli.AppHelpTemplate, c.App)
		return &silentExit{code: ExUsage}
	}
	app.After = func(*cli.Context) error {
		if notFound != "" {
			return unknownCommand("msn help", notFound, app.Commands)
		}
		return nil
	}
	var walk func(string, []*cli.Command)
	walk = func(parent string, cmds []*cli.Command) {
		for _, cmd := range cmds {
			cmd.OnUsageError = onUsage
			if len(cmd.Subcommands) > 0 {
				guardSubcommands(parent+" "+cmd.Name, cmd, env)
			}
			walk(parent+" "+cmd.Name, cmd.Subcommands)
		}
	}
	walk("msn", app.Commands)
}

// guardSubcommands makes the command with subcommands at path (such as
// "msn contacts group") refuse a first
// argument that names none of them: one without an action of its own
// also prints its help on stderr (64) when given nothing, and one with
// an action still takes addresses as arguments.
func guardSubcommands(path string, cmd *cli.Command, env *Env) {
	action := cmd.Action
	cmd.Action = func(c *cli.Context) error {
		first := c.Args().First()
		if c.Args().Present() && (action == nil || !strings.Contains(first, "@")) {
			return unknownCommand(path, first, cmd.Subcommands)
		}
		if action == nil {
			cli.HelpPrinter(env.Stderr, cli.SubcommandHelpTemplate, cmd)
			return &silentExit{code: ExUsage}
		}
		return action(c)
	}
}

// unknownCommand reports that parent has no command name, suggesting the
// closest one.
func unknownCommand(parent, name string, cmds []*cli.Command) error {
	var names []string
	for _, c := range cmds {
		if !c.Hidden {
			names = append(names, c.Names()...)
		}
	}
	hint := "see " + strings.TrimSuffix(parent, " help") + " --help"
	if s := closest(name, names); s != "" {
		hint = fmt.Sprintf("did you mean %s %s?", strings.TrimSuffix(parent, " help"), s)
	}
	return &codedError{code: ExUsage, err: fmt.Errorf("unknown command %q", escapeDisplay(name)), hint: hint}
}

// Patterns of the flag package's errors, compiled by usageError when
// there is an error to read rather than at every start.
const (
	// undefinedFlag matches the error for an unknown flag.
	undefinedFlag = `^flag provided but not defined: -+(.*)$`
	// invalidValue matches the error for a value the flag cannot parse.
	invalidValue = `^invalid value "(.*)" for flag -+([^:]*): `
)

// usageError rewords an error of the flag parser of c's command as one
// sentence with a hint.
func usageError(c *cli.Context, err error, isSubcommand bool) error {
	msg := err.Error()
	if strings.Contains(msg, "environment variable") || strings.Contains(msg, "env var") {
		return badEnvironment(c.App.Flags, err)
	}
	command, flags := "", c.App.Flags
	if c.Command != nil && c.Command.Name != "" && isSubcommand {
		command, flags = c.Command.FullName(), c.Command.Flags
	}
	hint := "see " + strings.TrimSpace("msn "+command) + " --help"
	if m := regexp.MustCompile(undefinedFlag).FindStringSubmatch(msg); m != nil {
		flag, _, _ := strings.Cut(m[1], "=")
		global := closest(flag, flagNames(c.App.Flags))
		switch {
		case command != "" && findFlag(c.App.Flags, flag) != nil:
			hint = fmt.Sprintf("%s is a global flag: global flags go before the command (msn %s %s ...)", dashed(flag), dashed(flag), command)
		case closest(flag, flagNames(flags)) != "":
			hint = fmt.Sprintf("did you mean %s?", dashed(closest(flag, flagNames(flags))))
		case command != "" && global != "":
			hint = fmt.Sprintf("did you mean the global flag %s? global flags go before the command (msn %s %s ...)", dashed(global), dashed(global), command)
		}
		return &codedError{code: ExUsage, err: fmt.Errorf("unknown flag %s", dashed(flag)), hint: hint}
	}
	if m := regexp.MustCompile(invalidValue).FindStringSubmatch(msg); m != nil {
		want := hint
		if f := findFlag(flags, m[2]); f != nil {
			want = wantedValue(f)
		}
		return &codedError{code: ExUsage, err: fmt.Errorf("%s %q: %s", dashed(m[2]), m[1], want)}
	}
	return &codedError{code: ExUsage, err: err, hint: hint}
}

// badEnvironment names the environment variable a flag could not parse
// and the values it takes (exit 78).
func badEnvironment(flags []cli.Flag, err error) error {
	for _, f := range flags {
		for _, v := range envVarsOf(f) {
			val, ok := lookupEnv(v)
			if !ok || parses(f, val) {
				continue
			}
			return configErrorf("%s=%q: %s", v, escapeDisplay(val), wantedValue(f))
		}
	}
	return withCode(ExConfig, err)
}

// wantedValue says which values flag f takes.
func wantedValue(f cli.Flag) string {
	switch f.(type) {
	case *cli.BoolFlag:
		return "want true or false (or 1 or 0); an empty value counts as unset"
	case *cli.DurationFlag:
		return "want a duration such as 30s, 2m or 1h30m"
	case *cli.IntFlag, *cli.Int64Flag, *cli.UintFlag:
		return "want a whole number"
	}
	return "not a valid value"
}

// dashed writes a flag name as the user types it: -q, --json.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// findFlag returns the flag of flags named name, or nil.
func findFlag(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		if hasName(f, name) {
			return f
		}
	}
	return nil
}

// flagNames lists every name of flags.
func flagNames(flags []cli.Flag) []string {
	var names []string
	for _, f := range flags {
		names = append(names, f.Names()...)
	}
	return names
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
			return trailingFlagError(c, a)
		}
	}
	return usageErrorf("%s: unexpected arguments %q", c.Command.Name, extra)
}

// refuseTrailingFlags fails when one of args, the free text of c's
// command, is one of its flags or a global flag: a flag after the
// arguments would otherwise be taken as text.
func refuseTrailingFlags(c *cli.Context, args []string) error {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") || a == "-" {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if findFlag(c.Command.Flags, name) != nil || findFlag(c.App.Flags, name) != nil || name == "help" || name == "h" {
			return trailingFlagError(c, a)
		}
	}
	return nil
}

// trailingFlagError reports a flag found after the arguments of c's
// command.
func trailingFlagError(c *cli.Context, arg string) error {
	return &codedError{code: ExUsage,
		err:  fmt.Errorf("%s: the flag %s comes after the arguments, where it would be taken as one", c.Command.FullName(), escapeDisplay(arg)),
		hint: "flags go before the arguments (global flags before the command); put -- before a text that starts with a dash"}
}

// cutArgs splits args around the first sep.
func cutArgs(args []string, sep string) (before, after []string, found bool) {
	for i, a := range args {
		if a == sep {
			return args[:i], args[i+1:], true
		}
	}
	return args, nil, false
}
