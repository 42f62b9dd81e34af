package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"msn/commands/session"
	"msn/proto"
)

// groupsCommand returns msn contacts groups.
func groupsCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:  "groups",
		Usage: "list your groups with the number of contacts in each",
		Flags: passwordFlags(),
		Action: listAction(env, 0, func(*cli.Context) (listFunc, error) {
			return func(ctx context.Context, s *session.Session) error {
				return s.WithList(ctx, func(cl *proto.ContactList) error {
					return printGroups(env, s.Account, cl)
				})
			}, nil
		}),
	}
}

// printGroups prints the groups as a table or as JSON objects.
func printGroups(env *Env, account string, cl *proto.ContactList) error {
	t := newTable("ID", "NAME", "CONTACTS")
	for _, g := range cl.Groups() {
		n := len(inGroup(cl.Contacts(), g.ID))
		if env.opts.JSON {
			if err := env.printJSON(map[string]any{"type": "group", "account": account, "id": g.ID,
				"name": g.Name, "contacts": n}); err != nil {
				return err
			}
			continue
		}
		t.add(strconv.Itoa(g.ID), g.Name, strconv.Itoa(n))
	}
	if env.opts.JSON {
		return nil
	}
	return t.write(env.Stdout)
}

// groupCommand returns msn contacts group add|rename|remove.
func groupCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:  "group",
		Usage: "add, rename or remove a group",
		Subcommands: []*cli.Command{
			groupEditCommand(env, "add", "NAME", "create a group", 1),
			groupEditCommand(env, "rename", "NAME NEW-NAME", "rename a group", 2),
			groupEditCommand(env, "remove", "NAME", "remove a group; its contacts stay on your forward list", 1),
		},
	}
}

// groupEditCommand returns one of the group subcommands, which takes
// nargs arguments.
func groupEditCommand(env *Env, name, argsUsage, usage string, nargs int) *cli.Command {
	return &cli.Command{
		Name:      name,
		Usage:     usage,
		ArgsUsage: argsUsage,
		Flags:     passwordFlags(),
		Action: listAction(env, nargs, func(c *cli.Context) (listFunc, error) {
			args := c.Args().Slice()
			if len(args) != nargs {
				return nil, usageErrorf("group %s: want %s", name, argsUsage)
			}
			for _, a := range args {
				if strings.TrimSpace(a) == "" {
					return nil, usageErrorf("group %s: empty group name", name)
				}
			}
			return func(ctx context.Context, s *session.Session) error {
				return editGroup(ctx, env, s, name, args)
			}, nil
		}),
	}
}

// editGroup runs group add, rename or remove.
func editGroup(ctx context.Context, env *Env, s *session.Session, op string, args []string) error {
	ns := s.NS()
	var id int
	err := s.WithList(ctx, func(cl *proto.ContactList) error {
		g := cl.GroupByName(args[0])
		switch {
		case op == "add" && g != nil:
			return withCode(ExDataErr, fmt.Errorf("a group named %s exists already", quote(g.Name)))
		case op == "rename" && cl.GroupByName(args[1]) != nil && !strings.EqualFold(args[0], args[1]):
			return withCode(ExDataErr, fmt.Errorf("a group named %s exists already", quote(args[1])))
		case op != "add":
			g, err := lookupGroup(cl, args[0])
			if err != nil {
				return err
			}
			id = g.ID
		}
		return nil
	})
	if err != nil {
		return err
	}
	var ch *proto.ListChange
	switch op {
	case "add":
		ch, err = ns.AddGroup(ctx, args[0])
	case "rename":
		ch, err = ns.RenameGroup(ctx, id, args[1])
	default:
		ch, err = ns.RemoveGroup(ctx, id)
	}
	if err != nil {
		return explainGroup(err, args[0])
	}
	s.ApplyList(ch)
	if env.opts.JSON {
		obj := map[string]any{"type": "group-change", "account": s.Account, "change": op, "id": ch.Group, "name": args[0]}
		if op == "rename" {
			obj["new_name"] = args[1]
		}
		return env.printJSON(obj)
	}
	if env.opts.Quiet {
		return nil
	}
	var msg string
	switch op {
	case "add":
		msg = fmt.Sprintf("added group %s", quote(args[0]))
	case "rename":
		msg = fmt.Sprintf("renamed group %s to %s", quote(args[0]), quote(args[1]))
	default:
		msg = fmt.Sprintf("removed group %s", quote(args[0]))
	}
	_, err = fmt.Fprintln(env.Stdout, msg)
	return err
}
