package commands

import (
	"context"
	"strings"

	"github.com/urfave/cli/v2"

	"msn/commands/session"
	"msn/proto"
)

// contactsListCommand returns msn contacts list.
func contactsListCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:  "list",
		Usage: "list your contacts: every list, or one with --list, or one group with --group",
		Flags: append(passwordFlags(),
			&cli.StringFlag{Name: "list", Aliases: []string{"l"}, Usage: "only the forward, allow, block or reverse list"},
			&cli.StringFlag{Name: "group", Aliases: []string{"g"}, Usage: "only the forward-list contacts in group NAME"},
		),
		Action: listAction(env, 0, func(c *cli.Context) (listFunc, error) {
			var only proto.List
			if name := c.String("list"); name != "" {
				l, ok := proto.ParseList(name)
				if !ok {
					return nil, usageErrorf("contacts list: --list %s: want forward, allow, block or reverse", quote(name))
				}
				only = l
			}
			group := c.String("group")
			return func(ctx context.Context, s *session.Session) error {
				return s.WithList(ctx, func(cl *proto.ContactList) error {
					contacts := cl.Contacts()
					if only != 0 {
						contacts = cl.On(only)
					}
					if group != "" {
						g, err := lookupGroup(cl, group)
						if err != nil {
							return err
						}
						contacts = inGroup(contacts, g.ID)
					}
					return printContacts(env, s.Account, cl, contacts, "no contacts")
				})
			}, nil
		}),
	}
}

// contactsPendingCommand returns msn contacts pending.
func contactsPendingCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:  "pending",
		Usage: "list the people who added you and whom you have neither allowed nor blocked",
		Flags: passwordFlags(),
		Action: listAction(env, 0, func(*cli.Context) (listFunc, error) {
			return func(ctx context.Context, s *session.Session) error {
				return s.WithList(ctx, func(cl *proto.ContactList) error {
					pending := cl.Pending()
					if len(pending) > 0 && !env.opts.JSON {
						env.Warnf("answer with msn contacts allow EMAIL or msn contacts block EMAIL")
					}
					return printContacts(env, s.Account, cl, pending, "nobody is waiting for an answer")
				})
			}, nil
		}),
	}
}

// inGroup keeps the forward-list contacts in group id.
func inGroup(contacts []*proto.Contact, id int) []*proto.Contact {
	var out []*proto.Contact
	for _, c := range contacts {
		if c.Lists.Has(proto.ForwardList) && c.InGroup(id) {
			out = append(out, c)
		}
	}
	return out
}

// printContacts prints contacts as a table or as JSON objects; with
// none, it says none on stderr.
func printContacts(env *Env, account string, cl *proto.ContactList, contacts []*proto.Contact, none string) error {
	if env.opts.JSON {
		for _, c := range contacts {
			if err := env.printJSON(map[string]any{"type": "contact", "account": account, "email": c.Email,
				"name": c.Name, "lists": listNames(c.Lists), "groups": groupNames(cl, c),
				"pending": c.Pending(), "phones": phonesByName(c.Phones)}); err != nil {
				return err
			}
		}
		return nil
	}
	if len(contacts) == 0 {
		env.Warnf("%s", none)
		return nil
	}
	t := newTable("EMAIL", "NAME", "LISTS", "GROUPS")
	for _, c := range contacts {
		t.add(c.Email, c.Name, strings.Join(listNames(c.Lists), ","), orDash(strings.Join(groupNames(cl, c), ", ")))
	}
	return t.write(env.Stdout)
}

// groupNames returns the names of c's groups.
func groupNames(cl *proto.ContactList, c *proto.Contact) []string {
	names := []string{}
	for _, id := range c.Groups {
		if g := cl.Group(id); g != nil {
			names = append(names, g.Name)
		}
	}
	return names
}
