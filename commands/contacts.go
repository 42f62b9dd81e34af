package commands

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"msn/commands/session"
	"msn/proto"
)

// contactsCommand returns msn contacts and its subcommands.
func contactsCommand(env *Env) *cli.Command {
	list := contactsListCommand(env)
	bare := contactsListCommand(env) // its own flag values
	return &cli.Command{
		Name:  "contacts",
		Usage: "show and change your contact lists (forward, allow, block, reverse) and groups",
		Description: "The forward list holds your contacts; the allow and block lists say who may see you " +
			"and message you; the reverse list, kept by the server, holds the people who have you as a " +
			"contact. Without a subcommand, lists every contact.",
		Flags:  bare.Flags,
		Action: bare.Action,
		Subcommands: []*cli.Command{
			list,
			contactsAddCommand(env),
			contactsRemoveCommand(env),
			contactsMoveCommand(env, "block", "move each EMAIL onto your block list: they can no longer see you or message you"),
			contactsMoveCommand(env, "unblock", "take each EMAIL off your block list (66 if one is not on it)"),
			contactsMoveCommand(env, "allow", "move each EMAIL onto your allow list (off the block list)"),
			contactsPendingCommand(env),
			groupsCommand(env),
			groupCommand(env),
		},
	}
}

// listFunc is what a contact-list command does once logged in.
type listFunc = func(ctx context.Context, s *session.Session) error

// listAction returns the Action of a contact-list command that takes at
// most nargs arguments: prepare reads and checks the arguments and flags
// and returns what to do once logged in, which runWithList then runs with
// the password flags.
func listAction(env *Env, nargs int, prepare func(c *cli.Context) (listFunc, error)) cli.ActionFunc {
	return func(c *cli.Context) error {
		if err := argsAtMost(c, nargs); err != nil {
			return err
		}
		fn, err := prepare(c)
		if err != nil {
			return err
		}
		src, err := passwordSourcesOf(c)
		if err != nil {
			return err
		}
		return runWithList(c.Context, env, src, fn)
	}
}

// runWithList logs in, waits for the contact list, runs fn and signs
// off. The list changes fn applies are saved on the way out.
func runWithList(ctx context.Context, env *Env, src passwordSources, fn listFunc) error {
	_, account, err := env.storeAndAccount("")
	if err != nil {
		return err
	}
	ctx, cancel := env.budget(ctx, 0)
	defer cancel()
	s, err := env.openSession(ctx, account, sessionOptions{Password: src}, session.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	err = fn(ctx, s)
	s.HangUp()
	return err
}

// lookupGroup returns the group called name, or an error with exit 66.
func lookupGroup(cl *proto.ContactList, name string) (*proto.Group, error) {
	if g := cl.GroupByName(name); g != nil {
		return g, nil
	}
	return nil, withHint(withCode(ExNoInput, fmt.Errorf("no group named %s", quote(name))), "msn contacts groups lists them")
}

// listNames returns the human names of the lists in l.
func listNames(l proto.List) []string {
	names := []string{}
	for _, one := range []proto.List{proto.ForwardList, proto.AllowList, proto.BlockList, proto.ReverseList} {
		if l&one != 0 {
			names = append(names, one.Name())
		}
	}
	return names
}

// phoneNames are the human names of the phone properties.
var phoneNames = map[string]string{
	proto.PhoneHome: "home", proto.PhoneWork: "work", proto.PhoneMobile: "mobile",
	proto.MobilePaging: "paging", proto.MobileEnabled: "mobile-enabled",
}

// phonesByName returns phones keyed by human names.
func phonesByName(phones map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range phones {
		if n, ok := phoneNames[k]; ok {
			out[n] = v
		}
	}
	return out
}
