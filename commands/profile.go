package commands

import (
	"context"
	"errors"
	"fmt"
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

// runProfile applies the changes, then prints the profile.
func runProfile(ctx context.Context, env *Env, s *session.Session, ch profileChanges) error {
	ns := s.NS()
	name := s.Result.FriendlyName
	apply := func(c *proto.ListChange, err error) error {
		// "Already set" is what was asked for.
		if err != nil && !errors.Is(err, proto.ErrListState) {
			return err
		}
		if c != nil {
			s.ApplyList(c)
		}
		return nil
	}
	if ch.Name != nil {
		c, err := ns.SetFriendlyName(ctx, *ch.Name)
		if err := apply(c, err); err != nil {
			return fmt.Errorf("profile: --name: %w", err)
		}
		name = c.Name
	}
	for _, key := range []string{proto.PhoneHome, proto.PhoneWork, proto.PhoneMobile} {
		if v, ok := ch.Phones[key]; ok {
			if err := apply(ns.SetPhone(ctx, key, v)); err != nil {
				return fmt.Errorf("profile: --phone-%s: %w", phoneNames[key], err)
			}
		}
	}
	if ch.Privacy != "" {
		if err := apply(ns.SetPrivacy(ctx, ch.Privacy)); err != nil {
			return fmt.Errorf("profile: --privacy: %w", err)
		}
	}
	if ch.NotifyOnAdd != nil {
		if err := apply(ns.SetNotifyOnAdd(ctx, *ch.NotifyOnAdd)); err != nil {
			return fmt.Errorf("profile: --notify-on-add: %w", err)
		}
	}
	return s.WithList(ctx, func(cl *proto.ContactList) error {
		return printProfile(env, s, name, cl)
	})
}
