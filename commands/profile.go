package commands

import (
	"context"
	"errors"
	"strings"

	"github.com/urfave/cli/v2"

	"msn/commands/session"
	"msn/proto"
)

// profileChanges are the settings msn profile was asked to change; nil
// fields stay as they are.
type profileChanges struct {
	Name        *string
	Phones      map[string]string // proto phone key to number, "" clears
	Privacy     proto.Privacy
	NotifyOnAdd *bool
}

// profileCommand returns msn profile.
func profileCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:  "profile",
		Usage: "show or change your friendly name, phone numbers and privacy settings",
		Description: "Without flags, prints your profile. --privacy allow-all lets everyone who is not on " +
			"your block list see you and message you; block-all lets only the people on your allow list " +
			"do so. --notify-on-add says whether you want to be asked when someone adds you. An empty " +
			"--phone-* value clears that number.",
		Flags: append(passwordFlags(),
			&cli.StringFlag{Name: "name", Usage: "set your friendly name, which your contacts see"},
			&cli.StringFlag{Name: "phone-home", Usage: "set your home phone number (empty clears it)"},
			&cli.StringFlag{Name: "phone-work", Usage: "set your work phone number (empty clears it)"},
			&cli.StringFlag{Name: "phone-mobile", Usage: "set your mobile phone number (empty clears it)"},
			&cli.StringFlag{Name: "privacy", Usage: "who may see you and message you: allow-all or block-all"},
			&cli.StringFlag{Name: "notify-on-add", Usage: "be asked when someone adds you: yes or no"},
		),
		Action: listAction(env, 0, func(c *cli.Context) (listFunc, error) {
			ch, err := profileChangesOf(c)
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context, s *session.Session) error {
				return runProfile(ctx, env, s, ch)
			}, nil
		}),
	}
}

// profileChangesOf reads and checks the profile flags.
func profileChangesOf(c *cli.Context) (profileChanges, error) {
	var ch profileChanges
	if c.IsSet("name") {
		name := c.String("name")
		if strings.TrimSpace(name) == "" {
			return ch, usageErrorf("profile: --name is empty")
		}
		ch.Name = &name
	}
	for flag, key := range map[string]string{"phone-home": proto.PhoneHome, "phone-work": proto.PhoneWork, "phone-mobile": proto.PhoneMobile} {
		if c.IsSet(flag) {
			if ch.Phones == nil {
				ch.Phones = map[string]string{}
			}
			ch.Phones[key] = strings.TrimSpace(c.String(flag))
		}
	}
	switch v := c.String("privacy"); v {
	case "":
	case "allow-all":
		ch.Privacy = proto.AllowUnlisted
	case "block-all":
		ch.Privacy = proto.BlockUnlisted
	default:
		return ch, usageErrorf("profile: --privacy %s: want allow-all or block-all", quote(v))
	}
	switch v := strings.ToLower(c.String("notify-on-add")); v {
	case "":
	case "yes", "no":
		notify := v == "yes"
		ch.NotifyOnAdd = &notify
	default:
		return ch, usageErrorf("profile: --notify-on-add %s: want yes or no", quote(v))
	}
	return ch, nil
}

// runProfile applies the changes, one request at a time in flag order,
// then prints the profile. At the first failure it stops: the error
// names the flag, and a line before it says which flags took effect and
// which were not tried.
func runProfile(ctx context.Context, env *Env, s *session.Session, ch profileChanges) error {
	ns := s.NS()
	name := s.Result.FriendlyName
	type step struct {
		flag string
		do   func() (*proto.ListChange, error)
	}
	var steps []step
	if ch.Name != nil {
		steps = append(steps, step{"--name", func() (*proto.ListChange, error) { return ns.SetFriendlyName(ctx, *ch.Name) }})
	}
	for _, key := range []string{proto.PhoneHome, proto.PhoneWork, proto.PhoneMobile} {
		if v, ok := ch.Phones[key]; ok {
			steps = append(steps, step{"--phone-" + phoneNames[key], func() (*proto.ListChange, error) { return ns.SetPhone(ctx, key, v) }})
		}
	}
	if ch.Privacy != "" {
		steps = append(steps, step{"--privacy", func() (*proto.ListChange, error) { return ns.SetPrivacy(ctx, ch.Privacy) }})
	}
	if ch.NotifyOnAdd != nil {
		steps = append(steps, step{"--notify-on-add", func() (*proto.ListChange, error) { return ns.SetNotifyOnAdd(ctx, *ch.NotifyOnAdd) }})
	}
	var done []string
	for i, st := range steps {
		c, err := st.do()
		// "Already set" is what was asked for.
		if err != nil && !errors.Is(err, proto.ErrListState) {
			var left []string
			for _, rest := range steps[i+1:] {
				left = append(left, rest.flag)
			}
			if len(done) > 0 || len(left) > 0 {
				env.errorf("%s", profileProgress(done, left))
			}
			return &profileError{flag: st.flag, err: err}
		}
		if c != nil {
			s.ApplyList(c)
			if st.flag == "--name" {
				name = c.Name
			}
		}
		done = append(done, st.flag)
	}
	return s.WithList(ctx, func(cl *proto.ContactList) error {
		return printProfile(env, s, name, cl)
	})
}

// profileProgress says which flags took effect before one failed, and
// which were not tried.
func profileProgress(done, left []string) string {
	var parts []string
	switch len(done) {
	case 0:
		parts = append(parts, "nothing was changed")
	case 1:
		parts = append(parts, done[0]+" was changed")
	default:
		parts = append(parts, joinAnd(done)+" were changed")
	}
	switch len(left) {
	case 0:
	case 1:
		parts = append(parts, left[0]+" was not tried")
	default:
		parts = append(parts, joinAnd(left)+" were not tried")
	}
	return strings.Join(parts, "; ")
}

// joinAnd joins words as "a, b and c".
func joinAnd(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// profileError is the failure of one profile flag.
type profileError struct {
	flag string
	err  error
}

// Error names the flag and says what went wrong.
func (e *profileError) Error() string {
	return e.flag + ": " + strings.TrimPrefix(e.err.Error(), "proto: ")
}

// Unwrap returns the cause, which sets the exit code.
func (e *profileError) Unwrap() error { return e.err }
