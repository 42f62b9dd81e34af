// Package man renders the msn(1) manual page from the application's
// commands and flags (names, usages, arguments, environment variables,
// defaults) and the prose sections kept in this package, with a small
// roff writer of its own.
package man

//go:generate go run gen.go

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"msn/commands"
)

// date is the date the page shows: that of its last real change.
const date = "2026-11-29"

// Page returns the roff source of msn(1) for app.
func Page(app *cli.App) (string, error) {
	if app.Name == "" {
		return "", fmt.Errorf("man: the application has no name")
	}
	r := &roff{}
	r.line(".TH " + strings.ToUpper(app.Name) + " 1 " + date + " " + app.Name + ` "User Commands"`)
	r.line(".nh")
	r.request("SH", "NAME")
	r.text(app.Name + " - " + app.Usage)
	r.request("SH", "SYNOPSIS")
	synopsis(r, app)
	r.request("SH", "DESCRIPTION")
	r.text(app.Description)
	prose(r, description)
	r.request("SH", "GLOBAL OPTIONS")
	prose(r, globalOptions)
	flagList(r, "", app.Flags)
	r.request("SH", "PASSWORD OPTIONS")
	prose(r, passwordOptions)
	flagList(r, "", commands.PasswordFlags())
	r.request("SH", "COMMANDS")
	walk(app.Commands, nil, func(path []string, cmd *cli.Command) { command(r, app.Name, path, cmd) })
	r.request("SH", "ENVIRONMENT")
	environment(r, app)
	r.request("SH", "FILES")
	prose(r, files)
	r.request("SH", "EXIT STATUS")
	exitStatus(r)
	r.request("SH", "EXAMPLES")
	prose(r, examples)
	r.request("SH", "SECURITY")
	prose(r, security)
	r.request("SH", "SEE ALSO")
	prose(r, seeAlso)
	return r.String(), nil
}

// walk calls fn for every documented command under cmds, parents before
// their subcommands, with the command's path of names.
func walk(cmds []*cli.Command, parent []string, fn func(path []string, cmd *cli.Command)) {
	for _, cmd := range cmds {
		if cmd.Hidden || cmd.Name == "help" {
			continue
		}
		path := append(append([]string(nil), parent...), cmd.Name)
		fn(path, cmd)
		walk(cmd.Subcommands, path, fn)
	}
}

// synopsis writes one line for every command that does something of its
// own.
func synopsis(r *roff, app *cli.App) {
	r.request("nf")
	r.line(bold(app.Name) + " [" + italic("global options") + "] " + italic("command") +
		" [" + italic("options") + "] [" + italic("arguments") + "]")
	r.line(".sp")
	walk(app.Commands, nil, func(path []string, cmd *cli.Command) {
		if cmd.Action != nil {
			r.line(usageLine(app.Name, path, cmd, true))
		}
	})
	r.request("fi")
}

// usageLine returns the synopsis of cmd in roff: the program and the
// command path in bold, [options] when it has flags, and its arguments.
func usageLine(prog string, path []string, cmd *cli.Command, globals bool) string {
	s := bold(prog)
	if globals {
		s += " [" + italic("global options") + "]"
	}
	s += " " + bold(strings.Join(path, " "))
	if len(visibleFlags(cmd.Flags)) > 0 {
		s += " [" + italic("options") + "]"
	}
	if cmd.ArgsUsage != "" {
		s += " " + argsUsage(cmd.ArgsUsage)
	}
	return s
}

// argsUsage sets the placeholders of an ArgsUsage string (EMAIL,
// NEW-NAME) in italics, and the brackets, dots and dashes around them in
// roman.
func argsUsage(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		core := strings.TrimRight(strings.Trim(w, "[]"), ".")
		if !isPlaceholder(core) {
			words[i] = escape(w)
			continue
		}
		at := strings.Index(w, core)
		words[i] = escape(w[:at]) + italic(core) + escape(w[at+len(core):])
	}
	return strings.Join(words, " ")
}

// isPlaceholder reports whether s is an upper-case placeholder word.
func isPlaceholder(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == ':') {
			return false
		}
	}
	return true
}

// command writes the subsection of one command: its synopsis, what it
// does, its subcommands and its flags.
func command(r *roff, prog string, path []string, cmd *cli.Command) {
	r.request("SS", strings.Join(path, " "))
	if cmd.Action != nil {
		r.line(usageLine(prog, path, cmd, false))
		r.request("PP")
	}
	r.text(sentence(cmd.Usage))
	if cmd.Description != "" {
		r.request("PP")
		r.text(cmd.Description)
	}
	var subs []string
	for _, sub := range cmd.Subcommands {
		if !sub.Hidden && sub.Name != "help" {
			subs = append(subs, "`"+strings.Join(append(append([]string(nil), path...), sub.Name), " ")+"`")
		}
	}
	if len(subs) > 0 {
		r.request("PP")
		r.text("Subcommands: " + strings.Join(subs, ", ") + ".")
	}
	own, password := splitPasswordFlags(cmd.Flags)
	if len(password) > 0 {
		r.request("PP")
		r.text("Password options: " + strings.Join(password, ", ") + " (see PASSWORD OPTIONS).")
	}
	flagList(r, strings.Join(path, " "), own)
}

// splitPasswordFlags returns the flags of a command but the password
// options, and the names of those it takes, in bold markup.
func splitPasswordFlags(flags []cli.Flag) (own []cli.Flag, password []string) {
	shared := map[string]bool{}
	for _, f := range commands.PasswordFlags() {
		shared[f.Names()[0]] = true
	}
	for _, f := range flags {
		if shared[f.Names()[0]] {
			password = append(password, "`--"+f.Names()[0]+"`")
		} else {
			own = append(own, f)
		}
	}
	return own, password
}

// sentence makes a usage phrase a sentence: a capital first letter and a
// full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// exitStatus writes the codes of commands.ExitStatus and the prose that
// follows them.
func exitStatus(r *roff) {
	for _, s := range commands.ExitStatus {
		r.request("TP")
		r.line(bold(fmt.Sprint(s.Code)))
		r.text(sentence(s.Meaning))
	}
	prose(r, exitNotes)
}
