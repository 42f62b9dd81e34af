package commands

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"msn/commands/session"
	"msn/proto"
)

// upOptions are the inputs of msn up.
type upOptions struct {
	For       time.Duration
	Hidden    bool
	Reconnect bool
	Status    bool
	Session   sessionOptions
}

// upCommand returns msn up.
func upCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:  "up",
		Usage: "hold the account's session, so that every other msn command of the account runs through it",
		Description: "Signs in with the status saved by msn status set (or hidden, with --hidden) and stays " +
			"signed in, serving the session on a private Unix socket: while it runs, msn send, status, " +
			"contacts, profile, listen and the others run through it, without signing in again and without " +
			"ending it (MSN allows one session per account). msn listen, recvfile, status --watch and send -i " +
			"hold the session the same way while they run. It runs until interrupted (exit 0), until --for " +
			"has passed (exit 0), or until the server ends the session (77 when the account signed in " +
			"elsewhere, 75 when the server went away); with --reconnect it signs in again after a temporary " +
			"failure, waiting longer each time (1 s doubling to 2 min, with jitter). When another command " +
			"already holds the session, up waits until that one ends. --status says who holds the session " +
			"(exit 69 when nobody does). Invitations to conversations go to a msn listen or recvfile running " +
			"through the session; up itself does not answer them.",
		Flags: append(passwordFlags(),
			&cli.DurationFlag{Name: "for", Usage: "stop after DURATION (exit 0)"},
			&cli.BoolFlag{Name: "hidden", Usage: "appear offline while holding the session"},
			&cli.BoolFlag{Name: "reconnect", Usage: "sign in again when the server drops the session"},
			&cli.BoolFlag{Name: "status", Usage: "say which command holds the session, and exit"},
		),
		Action: func(c *cli.Context) error {
			src, err := noArgsPasswordSources(c)
			if err != nil {
				return err
			}
			o := upOptions{For: c.Duration("for"), Hidden: c.Bool("hidden"), Reconnect: c.Bool("reconnect"),
				Status: c.Bool("status"), Session: sessionOptions{Password: src}}
			if c.IsSet("for") && o.For <= 0 {
				return usageErrorf("up: --for %s: want a positive duration", o.For)
			}
			if o.Status && (c.IsSet("for") || o.Hidden || o.Reconnect) {
				return usageErrorf("up: --status goes alone")
			}
			if o.Hidden {
				o.Session.Presence = proto.StatusHidden
			}
			if o.Status {
				return runUpStatus(c.Context, env)
			}
			return runUp(c.Context, env, o)
		},
	}
}

// runUp holds the session until ctx ends, --for passes or the session
// ends for good.
func runUp(ctx context.Context, env *Env, o upOptions) error {
	if env.opts.NoShare {
		return usageErrorf("up: --no-share leaves nothing to hold the session for")
	}
	_, account, err := env.storeAndAccount("")
	if err != nil {
		return err
	}
	life := ctx
	if o.For > 0 {
		var cancel context.CancelFunc
		life, cancel = context.WithTimeout(ctx, o.For)
		defer cancel()
	}
	err = env.reconnecting(life, o.Reconnect, "up", func(ctx context.Context) error {
		return holdSession(ctx, env, account, o.Session)
	})
	if life.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return nil // interrupted, or --for passed: how up ends
	}
	return err
}

// holdSession signs in and holds the session until ctx ends or the
// session does; when another process holds it, it waits on that one.
func holdSession(ctx context.Context, env *Env, account string, so sessionOptions) error {
	ignore := func(*proto.Ring) {} // rings no client took: nobody here answers them
	on, err := env.stayOnline(ctx, account, so, ignore, "holding the session")
	if err != nil {
		return err
	}
	defer on.Close()
	ns := on.Session.NS()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-ns.Done():
		return &lostSession{err: sessionEnded("up", ns)}
	}
}

// runUpStatus says which command holds the session.
func runUpStatus(ctx context.Context, env *Env) error {
	store, account, err := env.storeAndAccount("")
	if err != nil {
		return err
	}
	bctx, cancel := env.budget(ctx, 0)
	defer cancel()
	if env.opts.NoShare {
		return usageErrorf("up: --status and --no-share do not go together")
	}
	h, held, err := session.SharedHolder(bctx, env.sessionConfig(store), account)
	if err != nil {
		return err
	}
	if !held {
		return withHint(withCode(ExUnavailable, fmt.Errorf("no msn command holds the session of %s", account)),
			"msn up holds it; so do listen, recvfile, status --watch and send -i while they run")
	}
	since := time.Unix(h.Since, 0)
	if env.opts.JSON {
		return env.printJSON(map[string]any{"type": "shared-session", "account": account, "command": h.Command,
			"pid": h.PID, "since": timestamp(since), "clients": h.Clients - 1})
	}
	if env.opts.Quiet {
		return nil
	}
	_, err = fmt.Fprintf(env.Stdout, "%s: held by %s since %s, %d other client(s)\n",
		account, holderName(h), timestamp(since), h.Clients-1)
	return err
}
