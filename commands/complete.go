package commands

import (
	"io"
	"sort"
	"strings"
	"unicode"

	"github.com/urfave/cli/v2"
)

// CompleteCommand is the hidden command the completion scripts in
// completions/ run: msn __complete WORD... prints the candidates for the
// last WORD, the words before it being the command line after msn. A
// single line ":file", ":dir" or ":command" asks the shell to complete a
// path, a directory or a command name itself.
const CompleteCommand = "__complete"

// Directives that hand the completion back to the shell.
const (
	completeFiles    = ":file"
	completeDirs     = ":dir"
	completeCommands = ":command"
)

// installCompletion adds the hidden __complete command in place of the
// CLI library's --generate-bash-completion. It never signs in, opens
// the keyring or touches the network: the contacts it offers come from
// the state file.
func installCompletion(app *cli.App, env *Env) {
	app.EnableBashCompletion = false
	app.Commands = append(app.Commands, &cli.Command{
		Name:            CompleteCommand,
		Usage:           "print shell completion candidates for a command line",
		Hidden:          true,
		HideHelp:        true,
		SkipFlagParsing: true,
		Action: func(c *cli.Context) error {
			var out strings.Builder
			for _, w := range complete(app, env, c.Args().Slice()) {
				out.WriteString(w)
				out.WriteByte('\n')
			}
			_, err := io.WriteString(env.Stdout, out.String())
			return err
		},
	})
}

// cmdline is what the words before the one being completed say.
type cmdline struct {
	path     []string     // names of the commands entered, "contacts", "list"
	cmd      *cli.Command // the innermost command, nil at the top
	flags    []cli.Flag   // the flags it accepts
	nargs    int          // positional arguments seen
	dashdash bool         // a "--" ended the flags
	afterCmd int          // arguments after a "--" that separates a command (notify)
	globals  map[string]string
	pending  cli.Flag // a flag still waiting for its value
}

// complete returns the sorted candidates for the last of words.
func complete(app *cli.App, env *Env, words []string) []string {
	if len(words) == 0 {
		words = []string{""}
	}
	cur := words[len(words)-1]
	l := parseLine(app, words[:len(words)-1])
	var cands []string
	switch {
	case l.pending != nil:
		cands = l.values(env, l.flagSpec(l.pending), "")
	case strings.HasPrefix(cur, "-") && l.nargs == 0 && !l.dashdash:
		if name, _, ok := strings.Cut(cur, "="); ok {
			if f := findFlag(l.flags, strings.TrimLeft(name, "-")); f != nil && takesValue(f) {
				cands = l.values(env, l.flagSpec(f), name+"=")
			}
			break
		}
		cands = flagWords(l.flags)
	default:
		if l.nargs == 0 && !l.dashdash {
			cands = commandNames(l.subcommands(app))
		}
		cands = append(cands, l.values(env, l.argSpec(), "")...)
	}
	if len(cands) == 1 && isDirective(cands[0]) {
		return cands
	}
	return matching(cands, cur)
}

// parseLine follows the words the way the CLI parses them: global flags,
// then commands with their flags, then arguments.
func parseLine(app *cli.App, words []string) *cmdline {
	l := &cmdline{flags: app.Flags, globals: map[string]string{}}
	subs := app.Commands
	for _, w := range words {
		switch {
		case l.pending != nil:
			l.set(l.pending, w)
			l.pending = nil
		case w == "--" && !l.dashdash:
			l.dashdash = true
		case l.dashdash && l.separatesCommand():
			l.afterCmd++
		case strings.HasPrefix(w, "-") && w != "-" && l.nargs == 0 && !l.dashdash:
			name, val, hasVal := strings.Cut(strings.TrimLeft(w, "-"), "=")
			f := findFlag(l.flags, name)
			switch {
			case f == nil || !takesValue(f):
			case hasVal:
				l.set(f, val)
			default:
				l.pending = f
			}
		case l.nargs == 0 && !l.dashdash && findCommand(subs, w) != nil:
			l.cmd = findCommand(subs, w)
			l.path = append(l.path, l.cmd.Name)
			l.flags, subs = l.cmd.Flags, l.cmd.Subcommands
		default:
			l.nargs++
		}
	}
	return l
}

// set records the value of a global flag given on the line.
func (l *cmdline) set(f cli.Flag, value string) {
	if l.cmd == nil {
		l.globals[f.Names()[0]] = value
	}
}

// separatesCommand reports whether the command's arguments end with
// "-- CMD [ARGS...]" (msn notify).
func (l *cmdline) separatesCommand() bool {
	return l.cmd != nil && strings.Contains(l.cmd.ArgsUsage, "-- ")
}

// subcommands returns the commands that may come next.
func (l *cmdline) subcommands(app *cli.App) []*cli.Command {
	if l.cmd == nil {
		return app.Commands
	}
	return l.cmd.Subcommands
}

// flagSpec returns what the value of flag f of the current command is.
func (l *cmdline) flagSpec(f cli.Flag) valueSpec {
	if spec, ok := flagValues[flagKey(strings.Join(l.path, " "), f.Names()[0])]; ok {
		return spec
	}
	if takesFile(f) {
		return files
	}
	return freeText
}

// argSpec returns what the next positional argument is.
func (l *cmdline) argSpec() valueSpec {
	if l.dashdash && l.separatesCommand() {
		if l.afterCmd == 0 {
			return valueSpec{kind: commandValues}
		}
		return files
	}
	spec, ok := argValues[strings.Join(l.path, " ")]
	switch {
	case !ok || len(spec.values) == 0:
		return freeText
	case l.nargs < len(spec.values):
		return spec.values[l.nargs]
	case spec.repeat:
		return spec.values[len(spec.values)-1]
	}
	return freeText
}

// values returns the candidates of spec, each after prefix.
func (l *cmdline) values(env *Env, spec valueSpec, prefix string) []string {
	var vals []string
	switch spec.kind {
	case fileValues:
		return []string{completeFiles}
	case dirValues:
		return []string{completeDirs}
	case commandValues:
		return []string{completeCommands}
	case choiceValues:
		vals = spec.choices
	default:
		vals = cachedValues(env, l.globals, spec.kind)
	}
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		out = append(out, prefix+v)
	}
	return out
}

// isDirective reports whether s hands the completion back to the shell.
func isDirective(s string) bool {
	return s == completeFiles || s == completeDirs || s == completeCommands
}

// findCommand returns the visible command of cmds called name (or an
// alias), or nil.
func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if !c.Hidden && c.HasName(name) {
			return c
		}
	}
	return nil
}

// takesValue reports whether f needs a value.
func takesValue(f cli.Flag) bool {
	d, ok := f.(cli.DocGenerationFlag)
	return ok && d.TakesValue()
}

// takesFile reports whether f's value is a path.
func takesFile(f cli.Flag) bool {
	switch f := f.(type) {
	case *cli.StringFlag:
		return f.TakesFile
	case *cli.StringSliceFlag:
		return f.TakesFile
	}
	return false
}

// flagWords returns the long names of flags as typed ("--json"),
// --help left out.
func flagWords(flags []cli.Flag) []string {
	var out []string
	for _, f := range flags {
		if vf, ok := f.(cli.VisibleFlag); ok && !vf.IsVisible() {
			continue
		}
		for _, n := range f.Names() {
			if len(n) > 1 && n != "help" {
				out = append(out, "--"+n)
			}
		}
	}
	return out
}

// commandNames returns the names of the visible commands, the help
// command left out.
func commandNames(cmds []*cli.Command) []string {
	var out []string
	for _, c := range cmds {
		if !c.Hidden && c.Name != "help" {
			out = append(out, c.Name)
		}
	}
	return out
}

// matching returns the candidates that start with cur, sorted, without
// duplicates or any that a shell could not take as one word.
func matching(cands []string, cur string) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range cands {
		if c == "" || seen[c] || !strings.HasPrefix(c, cur) || strings.IndexFunc(c, unicode.IsControl) >= 0 {
			continue
		}
		seen[c] = true
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
