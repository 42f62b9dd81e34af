package commands

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"msn/proto"
	"msn/proto/passport"
	"msn/proto/secret"
	"msn/proto/server"
)

// demoCommand returns msn demo.
func demoCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: "run the toolkit end to end against an embedded local server, printing each step and its time",
		Description: "Starts a local server on loopback with throwaway state, logs in two demo accounts with " +
			"Passport, then logs one in again with its cached ticket; then two strangers add each other " +
			"and see each other's presence come and go; then alice sends bob a message in a conversation " +
			"and bob answers; last alice sends bob a 4 MiB file, which bob saves in a temporary directory " +
			"with its SHA-256 computed while writing, checked against the bytes sent. Touches no saved state " +
			"and no keyring.",
		Action: func(c *cli.Context) error {
			if err := argsAtMost(c, 0); err != nil {
				return err
			}
			return runDemo(c.Context, env)
		},
	}
}

// demo runs the demo steps and prints them.
type demo struct {
	env  *Env
	srv  *server.Server
	pool *x509.CertPool
	last time.Time
}

// step prints one finished step with the time it took.
func (d *demo) step(format string, args ...any) error {
	now := time.Now()
	took := now.Sub(d.last)
	d.last = now
	text := fmt.Sprintf(format, args...)
	if d.env.opts.JSON {
		return d.env.printJSON(map[string]any{"type": "step", "step": text, "ms": float64(took.Microseconds()) / 1000})
	}
	_, err := fmt.Fprintf(d.env.Stdout, "%7.1fms  %s\n", float64(took.Microseconds())/1000, text)
	return err
}

// login logs a demo account in through proto.Login, offering ticket first
// when it is not empty.
func (d *demo) login(ctx context.Context, pc *passport.Client, a server.Account, ticket secret.String) (*proto.LoginResult, error) {
	res, err := proto.Login(ctx, proto.LoginConfig{
		Server:   d.srv.NSAddr(),
		Email:    a.Email,
		Protocol: proto.MSNP8,
		Ticket:   ticket,
		Password: func(context.Context) (secret.String, error) { return secret.New(a.Password), nil },
		Passport: pc,
		Options:  d.env.protoOptions(),
	})
	if err != nil {
		return nil, fmt.Errorf("demo: log in %s: %w", a.Email, err)
	}
	return res, nil
}

// runDemo starts the embedded server and walks through the steps.
func runDemo(ctx context.Context, env *Env) error {
	ctx, cancel := env.budget(ctx, 0)
	defer cancel()
	d := &demo{env: env, last: time.Now()}
	alice, bob, err := demoPair(server.DemoAccounts())
	if err != nil {
		return err
	}
	d.srv, err = server.New(server.Config{Host: "127.0.0.1", Policy: server.Reusable, Accounts: server.DemoAccounts()})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := d.srv.Start(); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer d.srv.Close()
	d.pool = x509.NewCertPool()
	if !d.pool.AppendCertsFromPEM(d.srv.CACertPEM()) {
		return errors.New("demo: the server's CA certificate does not parse")
	}
	env.opts.AllowPrivate = true
	if err := d.step("server started (ns %s, passport %s)", d.srv.NSAddr(), d.srv.NexusURL()); err != nil {
		return err
	}
	return d.run(ctx, alice, bob)
}

// run logs alice and bob in, then alice again with her cached ticket.
func (d *demo) run(ctx context.Context, alice, bob server.Account) error {
	alicePassport := passport.New(d.srv.NexusURL(), d.pool)
	defer alicePassport.CloseIdle()
	bobPassport := passport.New(d.srv.NexusURL(), d.pool)
	defer bobPassport.CloseIdle()

	a, err := d.login(ctx, alicePassport, alice, secret.String{})
	if err != nil {
		return err
	}
	defer a.NS.Close()
	if err := d.step("%s logged in as %q (MSNP8, Passport)", short(alice.Email), a.FriendlyName); err != nil {
		return err
	}
	b, err := d.login(ctx, bobPassport, bob, secret.String{})
	if err != nil {
		return err
	}
	defer b.NS.Close()
	if err := d.step("%s logged in as %q (MSNP8, Passport)", short(bob.Email), b.FriendlyName); err != nil {
		return err
	}
	if err := a.NS.Logout(ctx); err != nil {
		return fmt.Errorf("demo: log out %s: %w", alice.Email, err)
	}
	if err := d.step("%s logged out", short(alice.Email)); err != nil {
		return err
	}
	again, err := d.login(ctx, alicePassport, alice, a.Ticket)
	if err != nil {
		return err
	}
	defer again.NS.Close()
	how := "cached ticket"
	if again.Fresh {
		how = "Passport"
	}
	if err := d.step("%s logged in again (MSNP8, %s)", short(alice.Email), how); err != nil {
		return err
	}
	for _, r := range []*proto.LoginResult{again, b} {
		if err := r.NS.Logout(ctx); err != nil {
			return fmt.Errorf("demo: log out: %w", err)
		}
	}
	if err := d.step("everyone logged out"); err != nil {
		return err
	}
	if err := d.contacts(ctx); err != nil {
		return err
	}
	return d.messages(ctx)
}

// demoPair finds alice and bob among the demo accounts.
func demoPair(accounts []server.Account) (alice, bob server.Account, err error) {
	for _, a := range accounts {
		switch short(a.Email) {
		case "alice":
			alice = a
		case "bob":
			bob = a
		}
	}
	if alice.Email == "" || bob.Email == "" {
		return alice, bob, errors.New("demo: the demo accounts lack alice or bob")
	}
	return alice, bob, nil
}

// short returns the local part of an address.
func short(email string) string {
	local, _, _ := strings.Cut(email, "@")
	return local
}
