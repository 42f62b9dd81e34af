package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/urfave/cli/v2"

	"msn/commands/session"
	"msn/proto"
)

// contactsAddCommand returns msn contacts add.
func contactsAddCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:      "add",
		Usage:     "add EMAIL to your forward list (as a contact) and your allow list",
		ArgsUsage: "EMAIL",
		Description: "Adding an account that does not exist exits 67, adding someone who is already a " +
			"contact exits 65, and a full list exits 73. With --group, a contact already on the " +
			"forward list is added to one more group.",
		Flags: append(passwordFlags(),
			&cli.StringFlag{Name: "group", Aliases: []string{"g"}, Usage: "put the contact in group NAME"},
			&cli.StringFlag{Name: "nick", Usage: "the name to store for the contact (default: the address)"},
		),
		Action: listAction(env, 1, func(c *cli.Context) (listFunc, error) {
			email, err := oneEmail(c)
			if err != nil {
				return nil, err
			}
			group, nick := c.String("group"), c.String("nick")
			return func(ctx context.Context, s *session.Session) error {
				return addContact(ctx, env, s, email, group, nick)
			}, nil
		}),
	}
}

// addContact puts email on the forward list (in group when given) and
// on the allow list; both requests go out together. What the synced list
// already shows is not asked again, and asking for nothing new is an
// error (exit 65).
func addContact(ctx context.Context, env *Env, s *session.Session, email, groupName, nick string) error {
	group := proto.NoGroup
	needFL, needAL, blocked := true, true, false
	err := s.WithList(ctx, func(cl *proto.ContactList) error {
		if groupName != "" {
			g, err := lookupGroup(cl, groupName)
			if err != nil {
				return err
			}
			group = g.ID
		}
		if group == proto.NoGroup && cl.Group(0) != nil {
			// Name the default group, so that the reply (and the
			// cached list) says where the contact went.
			group = 0
		}
		if c := cl.Contact(email); c != nil {
			if nick == "" {
				nick = c.Name
			}
			needFL = !c.Lists.Has(proto.ForwardList) || (groupName != "" && !c.InGroup(group))
			blocked = c.Lists.Has(proto.BlockList)
			needAL = !c.Lists.Has(proto.AllowList) && !blocked
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !needFL && !needAL {
		where := "your forward list"
		if groupName != "" {
			where = "group " + quote(groupName)
		}
		return withCode(ExDataErr, fmt.Errorf("%s is already in %s", email, where))
	}
	ns := s.NS()
	var wg sync.WaitGroup
	var fl, al *proto.ListChange
	var flErr, alErr error
	if needAL {
		wg.Add(1)
		go func() {
			defer wg.Done()
			al, alErr = ns.AddContact(ctx, proto.AllowList, email, "", proto.NoGroup)
		}()
	}
	if needFL {
		fl, flErr = ns.AddContact(ctx, proto.ForwardList, email, nick, group)
	}
	wg.Wait()
	// The allow-list reply names the contact by address: apply it first,
	// so that the forward-list name stays.
	for _, ch := range []*proto.ListChange{al, fl} {
		if ch != nil {
			s.ApplyList(ch)
		}
	}
	blocked = blocked || errors.Is(alErr, &proto.ServerError{Code: 219})
	switch {
	case flErr != nil && !(errors.Is(flErr, &proto.ServerError{Code: 215}) && al != nil):
		return explainList(flErr, email, proto.ForwardList)
	case alErr != nil && !blocked && !errors.Is(alErr, &proto.ServerError{Code: 215}):
		return explainList(alErr, email, proto.AllowList)
	}
	if blocked {
		env.Warnf("%s stays on your block list; msn contacts allow %s lets them see you", email, email)
	}
	var lists []proto.List
	if fl != nil {
		lists = append(lists, proto.ForwardList)
	}
	if al != nil {
		lists = append(lists, proto.AllowList)
	}
	return reportChange(env, s.Account, "add", email, lists, groupName)
}

// contactsRemoveCommand returns msn contacts remove.
func contactsRemoveCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:      "remove",
		Usage:     "remove EMAIL from your forward list (or, with --group, from one group)",
		ArgsUsage: "EMAIL",
		Description: "Removing someone who is not a contact exits 66. The allow and block lists are " +
			"left alone: use unblock or block for those.",
		Flags: append(passwordFlags(),
			&cli.StringFlag{Name: "group", Aliases: []string{"g"}, Usage: "remove the contact from group NAME only"},
		),
		Action: listAction(env, 1, func(c *cli.Context) (listFunc, error) {
			email, err := oneEmail(c)
			if err != nil {
				return nil, err
			}
			groupName := c.String("group")
			return func(ctx context.Context, s *session.Session) error {
				group := proto.NoGroup
				if groupName != "" {
					err := s.WithList(ctx, func(cl *proto.ContactList) error {
						g, err := lookupGroup(cl, groupName)
						if err == nil {
							group = g.ID
						}
						return err
					})
					if err != nil {
						return err
					}
				}
				ch, err := s.NS().RemoveContact(ctx, proto.ForwardList, email, group)
				if err != nil {
					if groupName != "" && errors.Is(err, &proto.ServerError{Code: 225}) {
						return &listError{msg: fmt.Sprintf("%s is not in group %s", email, quote(groupName)), err: err}
					}
					return explainList(err, email, proto.ForwardList)
				}
				s.ApplyList(ch)
				return reportChange(env, s.Account, "remove", email, []proto.List{proto.ForwardList}, groupName)
			}, nil
		}),
	}
}

// contactsMoveCommand returns msn contacts block, unblock or allow.
func contactsMoveCommand(env *Env, name, usage string) *cli.Command {
	return &cli.Command{
		Name:      name,
		Usage:     usage,
		ArgsUsage: "EMAIL",
		Flags:     passwordFlags(),
		Action: listAction(env, 1, func(c *cli.Context) (listFunc, error) {
			email, err := oneEmail(c)
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context, s *session.Session) error {
				ns := s.NS()
				var ch *proto.ListChange
				var err error
				list := proto.BlockList
				if name == "allow" {
					list = proto.AllowList
				}
				if err := notAlready(ctx, s, email, name, list); err != nil {
					return err
				}
				switch name {
				case "block":
					ch, err = ns.Block(ctx, email)
				case "unblock":
					ch, err = ns.Unblock(ctx, email)
				default:
					ch, err = ns.Allow(ctx, email)
				}
				if err != nil {
					return explainList(err, email, list)
				}
				s.ApplyList(ch)
				return reportChange(env, s.Account, name, email, []proto.List{list}, "")
			}, nil
		}),
	}
}

// reportChange prints what a list command changed.
func reportChange(env *Env, account, change, email string, lists []proto.List, group string) error {
	var names []string
	for _, l := range lists {
		names = append(names, l.Name())
	}
	if env.opts.JSON {
		obj := map[string]any{"type": "contact-change", "account": account, "change": change, "email": email,
			"lists": append([]string{}, names...)}
		if group != "" {
			obj["group"] = group
		}
		return env.printJSON(obj)
	}
	if env.opts.Quiet {
		return nil
	}
	var msg string
	where := "your " + strings.Join(names, " and ") + " list"
	if len(names) > 1 {
		where += "s"
	}
	if group != "" {
		where = fmt.Sprintf("group %s", quote(group))
	}
	switch change {
	case "add":
		msg = fmt.Sprintf("added %s to %s", email, where)
	case "remove", "unblock":
		msg = fmt.Sprintf("removed %s from %s", email, where)
	default:
		msg = fmt.Sprintf("moved %s onto %s", email, where)
	}
	_, err := fmt.Fprintln(env.Stdout, msg)
	return err
}

// notAlready fails with exit 65 when the synced list shows that block or
// allow would change nothing.
func notAlready(ctx context.Context, s *session.Session, email, op string, list proto.List) error {
	if op == "unblock" {
		return nil // the server says when there is nothing to unblock
	}
	return s.WithList(ctx, func(cl *proto.ContactList) error {
		if c := cl.Contact(email); c != nil && c.Lists.Has(list) {
			return withCode(ExDataErr, fmt.Errorf("%s is already on your %s list", email, list.Name()))
		}
		return nil
	})
}
