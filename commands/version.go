package commands

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"
)

// buildVersion is what msn --version reports, from the build
// information the Go toolchain embeds in the binary.
type buildVersion struct {
	Type     string `json:"type"`
	Version  string `json:"version"`
	Revision string `json:"revision,omitempty"`
	Time     string `json:"time,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	Go       string `json:"go"`
}

// readVersion returns the module version and, when the binary was built
// from a checkout, its VCS revision.
func readVersion() buildVersion {
	v := buildVersion{Type: "version", Version: "unknown"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	v.Go = bi.GoVersion
	if bi.Main.Version != "" {
		v.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

// String is the one-line form: "msn VERSION (revision REV, TIME,
// modified; GO)".
func (v buildVersion) String() string {
	var parts []string
	if v.Revision != "" {
		parts = append(parts, "revision "+v.Revision)
	}
	if v.Time != "" {
		parts = append(parts, v.Time)
	}
	if v.Modified {
		parts = append(parts, "modified")
	}
	detail := v.Go
	if len(parts) > 0 {
		detail = strings.Join(parts, ", ") + "; " + v.Go
	}
	return fmt.Sprintf("msn %s (%s)", v.Version, detail)
}

// versionCommand returns msn version.
func versionCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version of msn: module version, VCS revision and Go version",
		Action: func(c *cli.Context) error {
			if err := argsAtMost(c, 0); err != nil {
				return err
			}
			return env.printVersion()
		},
	}
}

// printVersion prints the version, as JSON with --json.
func (e *Env) printVersion() error {
	v := readVersion()
	if e.opts.JSON {
		return e.printJSON(v)
	}
	_, err := fmt.Fprintln(e.Stdout, v)
	return err
}

// beforeCommand checks the global flags; with --version it prints the
// version and stops there.
func (e *Env) beforeCommand(c *cli.Context) error {
	if err := e.parseGlobals(c); err != nil {
		return err
	}
	if c.Bool("version") {
		if err := e.printVersion(); err != nil {
			return err
		}
		return &silentExit{code: ExOK}
	}
	return nil
}
