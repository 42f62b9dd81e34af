package commands

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/urfave/cli/v2"

	"msn/proto/server"
)

// serveOptions are the inputs of msn serve.
type serveOptions struct {
	Listen     string
	Accounts   string
	Demo       bool
	Dispatch   bool
	Tickets    string
	TicketLife time.Duration
	Challenge  bool
	CAOut      string
}

// serveCommand returns msn serve.
func serveCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "run a local MSN server (MSNP7 and MSNP8, Passport over HTTPS) until interrupted",
		Description: "Prints the addresses it listens on (ns, ds, sb, nexus, login) and the path of its CA certificate, " +
			"and with --demo the demo accounts and their throwaway passwords, one per line, or one JSON object " +
			"with --json. Point clients at it with --server, --nexus and --ca-file.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "listen", Value: "127.0.0.1", Usage: "listen on this host (ports are chosen by the system)"},
			&cli.StringFlag{Name: "accounts", TakesFile: true, Usage: "load accounts from a JSON file: [{\"email\", \"password\", \"name\"}]"},
			&cli.BoolFlag{Name: "demo", Usage: "add the demo accounts (alice, bob and carol at example.com)"},
			&cli.BoolFlag{Name: "dispatch", Usage: "also run a dispatch server that refers clients to the notification server"},
			&cli.StringFlag{Name: "tickets", Value: "single-use", Usage: "Passport ticket policy: single-use (30 s, like the revival servers) or reusable"},
			&cli.DurationFlag{Name: "ticket-life", Value: 24 * time.Hour, Usage: "life of a reusable ticket"},
			&cli.BoolFlag{Name: "challenge", Usage: "send a challenge after login and check the answer"},
			&cli.StringFlag{Name: "ca-out", TakesFile: true, Usage: "write the CA certificate (PEM) to this path (default: a file in a new temporary directory)"},
		},
		Action: func(c *cli.Context) error {
			if err := argsAtMost(c, 0); err != nil {
				return err
			}
			return runServe(c.Context, env, serveOptions{
				Listen:     c.String("listen"),
				Accounts:   c.String("accounts"),
				Demo:       c.Bool("demo"),
				Dispatch:   c.Bool("dispatch"),
				Tickets:    c.String("tickets"),
				TicketLife: c.Duration("ticket-life"),
				Challenge:  c.Bool("challenge"),
				CAOut:      c.String("ca-out"),
			})
		},
	}
}

// serverConfig turns the flags into a server configuration.
func (o serveOptions) serverConfig() (server.Config, error) {
	cfg := server.Config{Host: o.Listen, Dispatch: o.Dispatch, Challenge: o.Challenge, TicketLife: o.TicketLife}
	switch o.Tickets {
	case "single-use":
		cfg.Policy = server.SingleUse
	case "reusable":
		cfg.Policy = server.Reusable
	default:
		return cfg, usageErrorf("--tickets %q: want single-use or reusable", o.Tickets)
	}
	if o.TicketLife <= 0 {
		return cfg, usageErrorf("--ticket-life %s: want a positive duration", o.TicketLife)
	}
	if o.Accounts != "" {
		accounts, err := loadAccounts(o.Accounts)
		if err != nil {
			return cfg, err
		}
		cfg.Accounts = accounts
	}
	if o.Demo {
		cfg.Accounts = append(cfg.Accounts, server.DemoAccounts()...)
	}
	if len(cfg.Accounts) == 0 {
		return cfg, &codedError{code: ExUsage, err: errors.New("serve: no accounts"), hint: "use --demo or --accounts FILE"}
	}
	return cfg, nil
}

// loadAccounts reads the --accounts file.
func loadAccounts(path string) ([]server.Account, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, withCode(ExNoInput, fmt.Errorf("--accounts: %w", err))
	}
	if err != nil {
		return nil, withCode(ExNoInput, fmt.Errorf("--accounts: %w", err))
	}
	defer f.Close()
	accounts, err := server.LoadAccounts(f)
	if err != nil {
		return nil, withCode(ExDataErr, fmt.Errorf("--accounts %s: %w", path, err))
	}
	return accounts, nil
}

// serveAddrs is what msn serve prints.
type serveAddrs struct {
	Type   string `json:"type"` // "serve"
	Server string `json:"server"`
	NS     string `json:"ns"`
	DS     string `json:"ds,omitempty"`
	SB     string `json:"sb"`
	Nexus  string `json:"nexus"`
	Login  string `json:"login"`
	CA     string `json:"ca"`
	// Demo lists the demo accounts and their passwords, which are
	// throwaway and public (they are in the README), with --demo.
	Demo []demoLogin `json:"demo,omitempty"`
}

// demoLogin is one demo account as msn serve --demo prints it.
type demoLogin struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	MSNP7    bool   `json:"msnp7"` // false: it has no MD5 password, MSNP8 only
}

// demoLogins returns the demo accounts of msn serve --demo.
func demoLogins() []demoLogin {
	var out []demoLogin
	for _, a := range server.DemoAccounts() {
		out = append(out, demoLogin{Email: a.Email, Password: a.Password, MSNP7: !a.PassportOnly})
	}
	return out
}

// runServe runs the server until ctx ends.
func runServe(ctx context.Context, env *Env, opts serveOptions) error {
	cfg, err := opts.serverConfig()
	if err != nil {
		return err
	}
	if env.opts.Debug {
		cfg.Log = env.Stderr
	}
	srv, err := server.New(cfg)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	caPath, cleanup, err := caOutPath(opts.CAOut)
	if err != nil {
		return err
	}
	defer cleanup()
	if err := srv.Start(); err != nil {
		return withHint(fmt.Errorf("serve: %w", err), "check --listen")
	}
	defer srv.Close()
	if err := srv.WriteCA(caPath); err != nil {
		return withCode(ExCantCreat, fmt.Errorf("serve: --ca-out: %w", err))
	}
	addrs := serveAddrs{Type: "serve", NS: srv.NSAddr(), SB: srv.SBAddr(), Nexus: srv.NexusURL(), Login: srv.LoginURL(), CA: caPath, Server: srv.NSAddr()}
	if opts.Demo {
		addrs.Demo = demoLogins()
	}
	if opts.Dispatch {
		addrs.DS = srv.DSAddr()
		addrs.Server = addrs.DS
	}
	if err := printServeAddrs(env, addrs); err != nil {
		return err
	}
	if !isLoopback(opts.Listen) {
		env.Warnf("serve: listening on %s: other machines can reach this server", opts.Listen)
	}
	<-ctx.Done()
	return nil
}

// printServeAddrs prints the addresses as "name value" lines or one JSON
// object.
func printServeAddrs(env *Env, a serveAddrs) error {
	if env.opts.JSON {
		return env.printJSON(a)
	}
	lines := [][2]string{{"server", a.Server}, {"ns", a.NS}, {"ds", a.DS}, {"sb", a.SB}, {"nexus", a.Nexus}, {"login", a.Login}, {"ca", a.CA}}
	for _, d := range a.Demo {
		note := ""
		if !d.MSNP7 {
			note = " (MSNP8 only)"
		}
		lines = append(lines, [2]string{"demo", d.Email + " " + d.Password + note})
	}
	for _, l := range lines {
		if l[1] == "" {
			continue
		}
		if _, err := fmt.Fprintf(env.Stdout, "%-7s %s\n", l[0], l[1]); err != nil {
			return err
		}
	}
	if !env.opts.Quiet {
		fmt.Fprintf(env.Stderr, "msn: serving until interrupted; clients use: --server %s --nexus %s --ca-file %s\n",
			a.Server, a.Nexus, a.CA)
	}
	return nil
}

// caOutPath returns where to write the CA, making a temporary directory
// when no path was given; cleanup removes that directory.
func caOutPath(path string) (string, func(), error) {
	if path != "" {
		return path, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "msn-serve-")
	if err != nil {
		return "", nil, withCode(ExCantCreat, fmt.Errorf("serve: %w", err))
	}
	return filepath.Join(dir, "ca.pem"), func() { _ = os.RemoveAll(dir) }, nil
}

// isLoopback reports whether host names a loopback address.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
