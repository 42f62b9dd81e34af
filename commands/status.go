package commands

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"msn/commands/session"
	"msn/proto"
)

const (
	// maxQueuedChanges bounds the presence changes waiting to be
	// printed; past it new ones are dropped and counted.
	maxQueuedChanges = 10000
)

// statusOptions are the inputs of msn status.
type statusOptions struct {
	Only       []string // show only these contacts (msn status EMAIL...)
	Online     bool     // list only the contacts signed in
	Watch      bool
	WaitOnline string
	For        time.Duration
	Password   passwordSources
}

// statusCommand returns msn status and msn status set.
func statusCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:      "status",
		Usage:     "show your contacts' presence, appearing offline while looking",
		ArgsUsage: "[EMAIL...]",
		Description: "Signs in hidden, so that looking does not announce you, and prints every contact on " +
			"your forward list with its presence (sorted by address; with --json one object per line), or only " +
			"the contacts named as arguments, or with --online only those signed in. " +
			"--watch then prints every change until interrupted or until --for has passed. " +
			"--wait-online EMAIL exits 0 as soon as EMAIL is signed in and visible (busy and away count), " +
			"or 75 when --for (default: the global --timeout) passes first.",
		Flags: append(passwordFlags(),
			&cli.BoolFlag{Name: "online", Usage: "list only the contacts who are signed in (busy, away and the like count)"},
			&cli.BoolFlag{Name: "watch", Aliases: []string{"w"}, Usage: "keep watching and print every change"},
			&cli.StringFlag{Name: "wait-online", Usage: "wait until EMAIL is online, then exit 0 (75 when --for passes first)"},
			&cli.DurationFlag{Name: "for", Usage: "stop --watch after DURATION (exit 0), or give up --wait-online after DURATION (exit 75; default --timeout)"},
		),
		Subcommands: []*cli.Command{statusSetCommand(env)},
		Action: func(c *cli.Context) error {
			src, err := passwordSourcesOf(c)
			if err != nil {
				return err
			}
			only, err := statusArgs(c)
			if err != nil {
				return err
			}
			o := statusOptions{Only: only, Online: c.Bool("online"), Watch: c.Bool("watch"), WaitOnline: strings.TrimSpace(c.String("wait-online")),
				For: c.Duration("for"), Password: src}
			if o.WaitOnline != "" && (len(o.Only) > 0 || o.Online) {
				return usageErrorf("status: --wait-online takes no other contacts and no --online")
			}
			if o.Watch && o.WaitOnline != "" {
				return usageErrorf("status: --watch and --wait-online do not go together")
			}
			if c.IsSet("for") && o.For <= 0 {
				return usageErrorf("status: --for %s: want a positive duration", o.For)
			}
			if c.IsSet("for") && !o.Watch && o.WaitOnline == "" {
				return usageErrorf("status: --for goes with --watch or --wait-online")
			}
			if o.WaitOnline != "" {
				if err := checkAccount(o.WaitOnline); err != nil {
					return err
				}
			}
			return runStatus(c.Context, env, o)
		},
	}
}

// presenceRow is one contact in the output of msn status.
type presenceRow struct {
	Email  string
	Status proto.Status
	Name   string
}

// runStatus signs in hidden, collects the initial presence of every
// contact and prints it, then watches or waits when asked.
func runStatus(ctx context.Context, env *Env, o statusOptions) error {
	_, account, err := env.storeAndAccount("")
	if err != nil {
		return err
	}
	board := session.NewPresence(maxQueuedChanges)
	sopts := session.Options{Handler: board.Handle, BackgroundSync: true}
	if o.Watch {
		sopts.KeepAlive, sopts.KeepAliveWait, sopts.Hold = keepAliveInterval, keepAliveWait, true
	}
	bctx, cancel := env.budget(ctx, 0)
	defer cancel()
	s, err := env.openSession(bctx, account, sessionOptions{Password: o.Password}, sopts)
	if err != nil {
		return err
	}
	defer s.Close()
	// The list sync runs meanwhile: the sync, the status change and the
	// ping that ends the presence burst share one round trip.
	if err := s.Look(bctx); err != nil {
		return fmt.Errorf("appear offline: %w", err)
	}
	var rows []presenceRow
	err = s.WithList(bctx, func(cl *proto.ContactList) error {
		rows = presenceRows(cl, board.Snapshot())
		if err := onForwardList(cl, o.Only); err != nil {
			return err
		}
		if c := cl.Contact(o.WaitOnline); o.WaitOnline != "" && (c == nil || !c.Lists.Has(proto.ForwardList)) {
			return withHint(withCode(ExNoUser, fmt.Errorf("%s is not on your forward list, so its presence cannot be seen", o.WaitOnline)),
				"msn contacts add "+o.WaitOnline)
		}
		return nil
	})
	if err != nil {
		return err
	}
	w := &statusPrinter{env: env, account: account, only: contactSet(o.Only), online: o.Online}
	rows = w.listed(rows)
	switch {
	case o.WaitOnline != "":
		err = w.waitOnline(ctx, s, board, o)
	case o.Watch:
		err = w.watch(ctx, s, board, rows, o.For)
	default:
		err = w.snapshot(rows)
	}
	s.HangUp()
	return err
}

// presenceRows lists the forward list with the presence seen, sorted by
// address; contacts not seen are offline.
func presenceRows(cl *proto.ContactList, seen map[string]session.Seen) []presenceRow {
	contacts := cl.On(proto.ForwardList)
	rows := make([]presenceRow, 0, len(contacts))
	for _, c := range contacts {
		r := presenceRow{Email: c.Email, Status: proto.StatusOffline, Name: c.Name}
		if p, ok := seen[strings.ToLower(c.Email)]; ok {
			r.Status = p.Status
			if p.Name != "" {
				r.Name = p.Name
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// statusArgs returns the contacts msn status was asked about: the
// arguments, each an address.
func statusArgs(c *cli.Context) ([]string, error) {
	args := c.Args().Slice()
	if err := refuseTrailingFlags(c, args); err != nil {
		return nil, err
	}
	for _, a := range args {
		if err := checkAccount(a); err != nil {
			return nil, err
		}
	}
	return args, nil
}

// onForwardList fails, naming the first, when one of emails is not on
// the forward list of cl: its presence cannot be seen.
func onForwardList(cl *proto.ContactList, emails []string) error {
	for _, e := range emails {
		if c := cl.Contact(e); c == nil || !c.Lists.Has(proto.ForwardList) {
			return withHint(withCode(ExNoUser, fmt.Errorf("%s is not on your forward list, so its presence cannot be seen", e)),
				"msn contacts add "+e)
		}
	}
	return nil
}

// contactSet returns emails as a set of lower-cased addresses, or nil
// for none.
func contactSet(emails []string) map[string]bool {
	if len(emails) == 0 {
		return nil
	}
	set := make(map[string]bool, len(emails))
	for _, e := range emails {
		set[strings.ToLower(e)] = true
	}
	return set
}
