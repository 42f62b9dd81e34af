package commands

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"msn/keyring"
	"msn/proto"
	"msn/proto/passport"
)

// parseGlobals checks the global flags and stores them in env. A bad
// value is a usage error (64) when it came from the command line and a
// configuration error (78) when it came from the environment.
func (e *Env) parseGlobals(c *cli.Context) error {
	o := globalOptions{
		Account:      strings.TrimSpace(c.String("account")),
		Server:       orDefault(strings.TrimSpace(c.String("server")), DefaultServer),
		Nexus:        orDefault(strings.TrimSpace(c.String("nexus")), DefaultNexus),
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
		return badGlobal(c, "protocol", c.String("protocol"), err)
	}
	if o.Keyring, err = parseKeyringMode(orDefault(c.String("keyring"), string(keyring.ModeAuto))); err != nil {
		return badGlobal(c, "keyring", c.String("keyring"), err)
	}
	if o.Timeout <= 0 {
		return badGlobal(c, "timeout", o.Timeout.String(), fmt.Errorf("%s: want a positive duration such as 30s or 2m", o.Timeout))
	}
	if _, err := proto.NormalizeAddr(o.Server); err != nil {
		return badGlobal(c, "server", o.Server, fmt.Errorf("%q: want HOST or HOST:PORT with a port from 1 to 65535", o.Server))
	}
	if err := checkNexus(o.Nexus); err != nil {
		return badGlobal(c, "nexus", o.Nexus, err)
	}
	for _, h := range o.LoginHosts {
		if _, _, err := passport.ParseLoginHost(h); err != nil {
			return badGlobal(c, "login-host", strings.Join(o.LoginHosts, ","), err)
		}
	}
	o.explicit = explicitFlags(c)
	e.opts = o
	return nil
}

// checkNexus accepts an https URL with a host, a port from 1 to 65535
// when it names one (443 when not), and no user name or password.
func checkNexus(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || !strings.EqualFold(u.Scheme, "https") {
		return fmt.Errorf("%q: want an https:// URL", raw)
	}
	if u.User != nil {
		return fmt.Errorf("%q: a nexus URL carries no user name or password", u.Redacted())
	}
	if _, _, err := passport.ParseLoginHost(u.Host); err != nil {
		return fmt.Errorf("%q: want https://HOST[:PORT]/PATH with a port from 1 to 65535", raw)
	}
	return nil
}

// badGlobal reports err about the global flag name, whose value was
// got: a usage error when the command line gave it, a configuration
// error naming the variable when the environment did.
func badGlobal(c *cli.Context, name, got string, err error) error {
	if env := envSource(c, name, got); env != "" {
		return configErrorf("%s: %v", env, err)
	}
	return usageErrorf("--%s %v", name, err)
}

// envSource returns the environment variable that gave the global flag
// name the value got, or "" when the command line gave it: a flag on
// the command line wins over its variable, so a variable that holds
// another value did not give it.
func envSource(c *cli.Context, name, got string) string {
	f := findFlag(c.App.Flags, name)
	if f == nil {
		return ""
	}
	for _, v := range envVarsOf(f) {
		val, ok := lookupEnv(v)
		if d, err := time.ParseDuration(val); err == nil {
			val = d.String()
		}
		if ok && val == strings.TrimSpace(got) {
			return v
		}
	}
	return ""
}

// hasName reports whether name is one of f's names.
func hasName(f cli.Flag, name string) bool {
	for _, n := range f.Names() {
		if n == name {
			return true
		}
	}
	return false
}

// orDefault returns s, or def when s is blank (an empty environment
// variable).
func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
