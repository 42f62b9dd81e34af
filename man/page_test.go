package man_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"msn/commands"
	"msn/man"
)

// page returns msn(1) for the real application.
func page(t *testing.T) string {
	t.Helper()
	p, err := man.Page(commands.NewApp())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPageSections checks that msn(1) has every section a reader looks
// for, in order.
func TestPageSections(t *testing.T) {
	p := page(t)
	at := -1
	for _, sec := range []string{"NAME", "SYNOPSIS", "DESCRIPTION", "GLOBAL OPTIONS", "PASSWORD OPTIONS", "COMMANDS",
		"ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES", "SECURITY", "SEE ALSO"} {
		i := strings.Index(p, "\n.SH \""+sec+"\"\n")
		if i < 0 {
			t.Errorf("msn.1 lacks the section %s", sec)
			continue
		}
		if i < at {
			t.Errorf("msn.1: section %s is out of order", sec)
		}
		at = i
	}
	if !strings.HasPrefix(p, ".TH MSN 1 ") {
		t.Errorf("msn.1 does not start with its title: %.40q", p)
	}
	if strings.Contains(p, "ToMan") || strings.Contains(p, "[arguments...]") {
		t.Error("msn.1 has text of the CLI library's generated page")
	}
}

// TestPageCommands checks that every command and subcommand has a
// subsection, with its arguments in the synopsis, and every flag of it
// is described.
func TestPageCommands(t *testing.T) {
	p := page(t)
	var walk func(path string, cmds []*cli.Command)
	walk = func(path string, cmds []*cli.Command) {
		for _, c := range cmds {
			if c.Hidden {
				if strings.Contains(p, c.Name) {
					t.Errorf("msn.1 mentions the hidden command %s", c.Name)
				}
				continue
			}
			full := strings.TrimSpace(path + " " + c.Name)
			if !strings.Contains(p, "\n.SS \""+full+"\"\n") {
				t.Errorf("msn.1 has no subsection for msn %s", full)
			}
			for _, w := range strings.Fields(c.ArgsUsage) {
				if core := strings.TrimRight(strings.Trim(w, "[]"), "."); core != "--" &&
					!strings.Contains(p, `\fI`+strings.ReplaceAll(core, "-", `\-`)+`\fR`) {
					t.Errorf("msn.1: the synopsis of msn %s lacks %s", full, core)
				}
			}
			for _, f := range c.Flags {
				if !strings.Contains(p, `\fB\-\-`+strings.ReplaceAll(f.Names()[0], "-", `\-`)+`\fR`) {
					t.Errorf("msn.1 does not describe --%s of msn %s", f.Names()[0], full)
				}
			}
			walk(full, c.Subcommands)
		}
	}
	walk("", commands.NewApp().Commands)
}

// TestPageExitStatus checks that every exit code is listed.
func TestPageExitStatus(t *testing.T) {
	p := page(t)
	for _, s := range commands.ExitStatus {
		if !strings.Contains(p, fmt.Sprintf(".TP\n\\fB%d\\fR\n", s.Code)) {
			t.Errorf("msn.1 does not list exit code %d", s.Code)
		}
	}
}

// msnVariable matches the name of an MSN_ environment variable.
var msnVariable = regexp.MustCompile(`\bMSN_[A-Z][A-Z_]*[A-Z]\b`)

// TestPageEnvironment checks that the ENVIRONMENT section names every
// MSN_ variable: those of the flags, and every one the code outside its
// tests mentions.
func TestPageEnvironment(t *testing.T) {
	p := page(t)
	start := strings.Index(p, ".SH \"ENVIRONMENT\"")
	end := strings.Index(p, ".SH \"FILES\"")
	if start < 0 || end < start {
		t.Fatal("msn.1 has no ENVIRONMENT section before FILES")
	}
	env := strings.ReplaceAll(p[start:end], `\fB`, "")
	want := map[string]string{}
	var flags func(cmds []*cli.Command)
	flags = func(cmds []*cli.Command) {
		for _, c := range cmds {
			for _, f := range c.Flags {
				for _, v := range f.(cli.DocGenerationFlag).GetEnvVars() {
					want[v] = "the flag --" + f.Names()[0]
				}
			}
			flags(c.Subcommands)
		}
	}
	app := commands.NewApp()
	for _, f := range app.Flags {
		for _, v := range f.(cli.DocGenerationFlag).GetEnvVars() {
			want[v] = "the flag --" + f.Names()[0]
		}
	}
	flags(app.Commands)
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata" || path == "../man"):
			return filepath.SkipDir
		case d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go"):
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, v := range msnVariable.FindAllString(string(src), -1) {
			want[v] = filepath.Clean(path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 5 {
		t.Fatalf("found only %d MSN_ variables: %v", len(want), want)
	}
	for v, from := range want {
		if !strings.Contains(env, v) {
			t.Errorf("msn.1: ENVIRONMENT does not name %s (from %s)", v, from)
		}
	}
	for _, v := range []string{"XDG_STATE_HOME", "XDG_RUNTIME_DIR", "HOME"} {
		if !strings.Contains(env, v) {
			t.Errorf("msn.1: ENVIRONMENT does not name %s", v)
		}
	}
}
