package man

import (
	"strings"

	"github.com/urfave/cli/v2"

	"msn/commands"
)

// flagList writes a tagged paragraph for each visible flag of the
// command at path ("" for the global flags): its names and value, its
// usage, its default and its environment variable.
func flagList(r *roff, path string, flags []cli.Flag) {
	for _, f := range visibleFlags(flags) {
		d, _ := f.(cli.DocGenerationFlag)
		r.request("TP")
		r.line(flagTag(path, f))
		text := sentence(d.GetUsage())
		if def := defaultOf(d); def != "" {
			text += " Default: " + def + "."
		}
		if env := d.GetEnvVars(); len(env) > 0 {
			text += " Environment: `" + strings.Join(env, "`, `") + "`."
		}
		r.text(text)
	}
}

// visibleFlags returns the flags that are shown, --help left out.
func visibleFlags(flags []cli.Flag) []cli.Flag {
	var out []cli.Flag
	for _, f := range flags {
		if vf, ok := f.(cli.VisibleFlag); ok && !vf.IsVisible() {
			continue
		}
		if _, ok := f.(cli.DocGenerationFlag); !ok || f.Names()[0] == "help" {
			continue
		}
		out = append(out, f)
	}
	return out
}

// flagTag returns the names of f in bold, short ones first, followed by
// its value placeholder in italics.
func flagTag(path string, f cli.Flag) string {
	var short, long []string
	for _, n := range f.Names() {
		if len(n) == 1 {
			short = append(short, bold("-"+n))
		} else {
			long = append(long, bold("--"+n))
		}
	}
	tag := strings.Join(append(short, long...), ", ")
	if d, ok := f.(cli.DocGenerationFlag); ok && d.TakesValue() {
		tag += " " + italic(placeholder(path, f))
	}
	return tag
}

// placeholders are the words a flag's usage may name its value with,
// the first found naming it.
var placeholders = map[string]bool{
	"EMAIL": true, "HOST:PORT": true, "HOST": true, "FILE": true, "DIR": true, "NAME": true,
	"CMD": true, "DURATION": true, "SIZE": true, "ADDR": true, "URL": true, "N": true,
}

// placeholder names the value of f: its choices (auto|system|file|none),
// else the placeholder its usage names, else one from its type.
func placeholder(path string, f cli.Flag) string {
	if c := commands.FlagChoices(path, f.Names()[0]); len(c) > 0 {
		return strings.Join(c, "|")
	}
	if strings.HasSuffix(f.Names()[0], "command") {
		return "CMD"
	}
	switch f.(type) {
	case *cli.DurationFlag:
		return "DURATION"
	case *cli.IntFlag:
		return "N"
	}
	d, _ := f.(cli.DocGenerationFlag)
	for _, w := range strings.Fields(d.GetUsage()) {
		if w = strings.Trim(w, ",.;()"); placeholders[w] {
			return w
		}
	}
	switch f := f.(type) {
	case *cli.StringFlag:
		if f.TakesFile {
			return "FILE"
		}
	case *cli.StringSliceFlag:
		if f.TakesFile {
			return "FILE"
		}
	}
	return "VALUE"
}

// defaultOf returns the default value of a flag worth showing, "" for
// none (a zero or empty value).
func defaultOf(d cli.DocGenerationFlag) string {
	if !d.TakesValue() {
		return ""
	}
	switch v := strings.Trim(d.GetValue(), `"`); v {
	case "", "0", "0s":
		return ""
	case ".":
		return "the current directory"
	default:
		return "`" + v + "`"
	}
}

// environment writes the MSN_ variables of every flag, then the other
// variables msn reads or sets.
func environment(r *roff, app *cli.App) {
	type use struct {
		flag, usage string
		where       []string
	}
	var order []string
	uses := map[string]*use{}
	add := func(where string, flags []cli.Flag) {
		for _, f := range visibleFlags(flags) {
			d := f.(cli.DocGenerationFlag)
			for _, env := range d.GetEnvVars() {
				u, ok := uses[env]
				if !ok {
					u = &use{flag: f.Names()[0], usage: d.GetUsage()}
					uses[env] = u
					order = append(order, env)
				}
				if len(u.where) == 0 || !strings.HasPrefix(u.where[0], "the ") {
					u.where = append(u.where, where)
				}
			}
		}
	}
	add("the global option", app.Flags)
	add("the password option", commands.PasswordFlags())
	walk(app.Commands, nil, func(path []string, cmd *cli.Command) {
		add("`"+strings.Join(path, " ")+"`", cmd.Flags)
	})
	prose(r, environmentIntro)
	for _, env := range order {
		u := uses[env]
		r.request("TP")
		r.line(bold(env))
		where := u.where[0]
		if !strings.HasPrefix(where, "the ") {
			where = "the option of " + strings.Join(u.where, ", ")
		}
		r.text("Sets `--" + u.flag + "`, " + where + ": " + strings.TrimSuffix(u.usage, ".") + ".")
	}
	prose(r, environmentOther)
}
