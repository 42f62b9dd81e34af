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

// maxInFlight bounds the addresses of one command whose requests are out
// at the same time.
const maxInFlight = 16

// manyArgs lets a contact-list command take any number of addresses.
const manyArgs = int(^uint(0) >> 1)

// contactsAddCommand returns msn contacts add.
func contactsAddCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:      "add",
		Usage:     "add each EMAIL to your forward list (as a contact) and your allow list",
		ArgsUsage: "EMAIL...",
		Description: "Adding an account that does not exist exits 67, adding someone who is already a " +
			"contact exits 65, and a full list exits 73. With --group, a contact already on the " +
			"forward list is added to one more group. Several addresses are changed in one session; " +
			"each failure is reported with its address, and the first one sets the exit status.",
		Flags: append(passwordFlags(),
			&cli.StringFlag{Name: "group", Aliases: []string{"g"}, Usage: "put the contacts in group NAME"},
			&cli.StringFlag{Name: "nick", Usage: "the name to store for the contact (default: the address); one EMAIL only"},
		),
		Action: listAction(env, manyArgs, func(c *cli.Context) (listFunc, error) {
			emails, err := emailArgs(c)
			if err != nil {
				return nil, err
			}
			groupName, nick := c.String("group"), c.String("nick")
			if nick != "" && len(emails) > 1 {
				return nil, usageErrorf("add: --nick names one contact; give one EMAIL with it")
			}
			return func(ctx context.Context, s *session.Session) error {
				group, err := groupID(ctx, s, groupName)
				if err != nil {
					return err
				}
				return forEachContact(ctx, env, s, "add", emails, func(ctx context.Context, email string) contactResult {
					return addContact(ctx, s, email, group, groupName, nick)
				})
			}, nil
		}),
	}
}

// contactResult is what one address's change did: the lists it changed
// (and the group), a warning to show, or why it failed.
type contactResult struct {
	lists []proto.List
	group string
	warn  string
	err   error
}

// groupID returns the id of the group called name, proto.NoGroup for
// "", or an error with exit 66 when there is no such group.
func groupID(ctx context.Context, s *session.Session, name string) (int, error) {
	if name == "" {
		return proto.NoGroup, nil
	}
	id := proto.NoGroup
	err := s.WithList(ctx, func(cl *proto.ContactList) error {
		g, err := lookupGroup(cl, name)
		if err == nil {
			id = g.ID
		}
		return err
	})
	return id, err
}

// addContact puts email on the forward list (in group when it is not
// NoGroup) and on the allow list; both requests go out together. What
// the synced list already shows is not asked again, and asking for
// nothing new is an error (exit 65).
func addContact(ctx context.Context, s *session.Session, email string, group int, groupName, nick string) contactResult {
	needFL, needAL, blocked := true, true, false
	err := s.WithList(ctx, func(cl *proto.ContactList) error {
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
		return contactResult{err: err}
	}
	if !needFL && !needAL {
		where := "your forward list"
		if groupName != "" {
			where = "group " + quote(groupName)
		}
		return contactResult{err: withCode(ExDataErr, fmt.Errorf("%s is already in %s", email, where))}
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
		return contactResult{err: explainList(flErr, email, proto.ForwardList)}
	case alErr != nil && !blocked && !errors.Is(alErr, &proto.ServerError{Code: 215}):
		return contactResult{err: explainList(alErr, email, proto.AllowList)}
	}
	r := contactResult{group: groupName}
	if blocked {
		r.warn = fmt.Sprintf("%s stays on your block list; msn contacts allow %s lets them see you", email, email)
	}
	if fl != nil {
		r.lists = append(r.lists, proto.ForwardList)
	}
	if al != nil {
		r.lists = append(r.lists, proto.AllowList)
	}
	return r
}

// contactsRemoveCommand returns msn contacts remove.
func contactsRemoveCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:      "remove",
		Usage:     "remove each EMAIL from your forward list (or, with --group, from one group)",
		ArgsUsage: "EMAIL...",
		Description: "Removing someone who is not a contact exits 66, and nothing is sent. The allow and " +
			"block lists are left alone: use unblock or block for those. Several addresses are changed " +
			"in one session; each failure is reported with its address, and the first one sets the exit status.",
		Flags: append(passwordFlags(),
			&cli.StringFlag{Name: "group", Aliases: []string{"g"}, Usage: "remove the contacts from group NAME only"},
		),
		Action: listAction(env, manyArgs, func(c *cli.Context) (listFunc, error) {
			emails, err := emailArgs(c)
			if err != nil {
				return nil, err
			}
			groupName := c.String("group")
			return func(ctx context.Context, s *session.Session) error {
				group, err := groupID(ctx, s, groupName)
				if err != nil {
					return err
				}
				return forEachContact(ctx, env, s, "remove", emails, func(ctx context.Context, email string) contactResult {
					return removeContact(ctx, s, email, group, groupName)
				})
			}, nil
		}),
	}
}

// removeContact takes email off the forward list, or out of group when
// it is not NoGroup. Someone the synced list shows is not there is
// refused (exit 66) without asking the server, which may not say so.
func removeContact(ctx context.Context, s *session.Session, email string, group int, groupName string) contactResult {
	err := s.WithList(ctx, func(cl *proto.ContactList) error {
		c := cl.Contact(email)
		switch {
		case c == nil || !c.Lists.Has(proto.ForwardList):
			return &notOnListError{email: email, list: proto.ForwardList}
		case group != proto.NoGroup && !c.InGroup(group):
			return &notOnListError{email: email, group: groupName}
		}
		return nil
	})
	if err != nil {
		return contactResult{err: err}
	}
	ch, err := s.NS().RemoveContact(ctx, proto.ForwardList, email, group)
	if err != nil {
		if groupName != "" && errors.Is(err, &proto.ServerError{Code: 225}) {
			return contactResult{err: &notOnListError{email: email, group: groupName, err: err}}
		}
		return contactResult{err: explainRemoval(err, email, proto.ForwardList)}
	}
	s.ApplyList(ch)
	return contactResult{lists: []proto.List{proto.ForwardList}, group: groupName}
}

// contactsMoveCommand returns msn contacts block, unblock or allow.
func contactsMoveCommand(env *Env, name, usage string) *cli.Command {
	return &cli.Command{
		Name:      name,
		Usage:     usage,
		ArgsUsage: "EMAIL...",
		Flags:     passwordFlags(),
		Action: listAction(env, manyArgs, func(c *cli.Context) (listFunc, error) {
			emails, err := emailArgs(c)
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context, s *session.Session) error {
				return forEachContact(ctx, env, s, name, emails, func(ctx context.Context, email string) contactResult {
					if name == "unblock" {
						return unblockContact(ctx, s, email)
					}
					return moveContact(ctx, s, email, name)
				})
			}, nil
		}),
	}
}

// moveContact puts email on the block list (op "block") or the allow
// list ("allow"). The synced list decides whether the contact must come
// off the other list first: only then does the removal go out, in the
// same write as the addition. Someone already there is refused (exit
// 65).
func moveContact(ctx context.Context, s *session.Session, email, op string) contactResult {
	list := proto.BlockList
	if op == "allow" {
		list = proto.AllowList
	}
	onOther := false
	err := s.WithList(ctx, func(cl *proto.ContactList) error {
		c := cl.Contact(email)
		if c != nil && c.Lists.Has(list) {
			return withCode(ExDataErr, fmt.Errorf("%s is already on your %s list", email, list.Name()))
		}
		onOther = c != nil && c.Lists.Has(opposite(list))
		return nil
	})
	if err != nil {
		return contactResult{err: err}
	}
	ns := s.NS()
	var ch *proto.ListChange
	switch {
	case !onOther:
		ch, err = ns.AddContact(ctx, list, email, "", proto.NoGroup)
	case op == "block":
		ch, err = ns.Block(ctx, email)
	default:
		ch, err = ns.Allow(ctx, email)
	}
	if err != nil {
		return contactResult{err: explainList(err, email, list)}
	}
	s.ApplyList(ch)
	return contactResult{lists: []proto.List{list}}
}

// unblockContact takes email off the block list. Someone the synced
// list shows is not blocked is refused (exit 66) without asking the
// server, which a revival server answers with success.
func unblockContact(ctx context.Context, s *session.Session, email string) contactResult {
	err := s.WithList(ctx, func(cl *proto.ContactList) error {
		if c := cl.Contact(email); c == nil || !c.Lists.Has(proto.BlockList) {
			return &notOnListError{email: email, list: proto.BlockList}
		}
		return nil
	})
	if err != nil {
		return contactResult{err: err}
	}
	ch, err := s.NS().Unblock(ctx, email)
	if err != nil {
		return contactResult{err: explainRemoval(err, email, proto.BlockList)}
	}
	s.ApplyList(ch)
	return contactResult{lists: []proto.List{proto.BlockList}}
}

// emailArgs returns the EMAIL arguments of c, checked, without repeats
// (compared without case), in the order given.
func emailArgs(c *cli.Context) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, a := range c.Args().Slice() {
		email := strings.TrimSpace(a)
		if err := checkAccount(email); err != nil {
			return nil, err
		}
		if key := strings.ToLower(email); !seen[key] {
			seen[key] = true
			out = append(out, email)
		}
	}
	if len(out) == 0 {
		return nil, usageErrorf("%s: missing EMAIL", c.Command.Name)
	}
	return out, nil
}

// forEachContact runs one change per address in the command's one
// session: the requests for different addresses go out without waiting
// for each other's answers (up to maxInFlight addresses at a time),
// since a revival server loses changes that separate sessions make in
// quick succession. The outcomes are reported in argument order: each
// change on stdout (with --json one object per address, failures
// included), each failure on stderr with its address. The exit status
// is that of the first address that failed. A single failure is the
// command's error, with its hint, as with one address; several are
// listed, then counted.
func forEachContact(ctx context.Context, env *Env, s *session.Session, change string, emails []string,
	one func(ctx context.Context, email string) contactResult) error {
	results := make([]contactResult, len(emails))
	slots := make(chan struct{}, maxInFlight)
	var wg sync.WaitGroup
	for i, email := range emails {
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			results[i] = one(ctx, email)
			if results[i].err != nil {
				results[i].err = &contactError{email: email, err: results[i].err}
			}
		}()
	}
	wg.Wait()
	var failed []error
	for i, r := range results {
		if r.err != nil {
			failed = append(failed, r.err)
			if env.opts.JSON {
				if err := env.printJSON(map[string]any{"type": "contact-error", "account": s.Account, "change": change,
					"email": emails[i], "message": message(r.err), "code": ExitCode(r.err)}); err != nil {
					return err
				}
			}
			continue
		}
		if r.warn != "" {
			env.Warnf("%s", r.warn)
		}
		if err := reportChange(env, s.Account, change, emails[i], r.lists, r.group); err != nil {
			return err
		}
	}
	switch {
	case len(failed) == 0:
		return nil
	case len(failed) == 1:
		return failed[0]
	}
	for _, err := range failed {
		env.errorf("%v", err)
	}
	return withCode(ExitCode(failed[0]), fmt.Errorf("contacts %s: %d of %d changes failed", change, len(failed), len(emails)))
}

// contactError is the failure of the change of one address; its message
// names the address.
type contactError struct {
	email string
	err   error
}

// Error returns the failure's message, led by the address unless it
// names it already.
func (e *contactError) Error() string {
	msg := e.err.Error()
	if strings.Contains(strings.ToLower(msg), strings.ToLower(e.email)) {
		return msg
	}
	return e.email + ": " + msg
}

// Unwrap returns the failure, which sets the exit code.
func (e *contactError) Unwrap() error { return e.err }

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
