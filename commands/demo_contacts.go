package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"msn/commands/session"
	"msn/proto"
	"msn/proto/passport"
	"msn/proto/secret"
	"msn/proto/server"
)

// demoWatcher is a demo account signed in with its events on a board.
type demoWatcher struct {
	name  string
	res   *proto.LoginResult
	board *session.Presence
}

// contacts shows two accounts that do not know each other adding each
// other and seeing each other's presence come and go.
func (d *demo) contacts(ctx context.Context) error {
	alice, carol := demoAccount("alice"), demoAccount("carol")
	if alice.Email == "" || carol.Email == "" {
		return errors.New("demo: the demo accounts lack alice or carol")
	}
	a, err := d.watch(ctx, alice)
	if err != nil {
		return err
	}
	defer a.res.NS.Close()
	c, err := d.watch(ctx, carol)
	if err != nil {
		return err
	}
	defer c.res.NS.Close()
	if err := d.step("alice and carol online, strangers so far"); err != nil {
		return err
	}
	if err := d.add(ctx, a, c); err != nil {
		return err
	}
	if err := d.add(ctx, c, a); err != nil {
		return err
	}
	for _, w := range []struct{ who, sees *demoWatcher }{{a, c}, {c, a}} {
		if err := d.await(ctx, w.who, w.sees.res.Handle, true); err != nil {
			return err
		}
		if err := d.step("%s sees %s online", w.who.name, w.sees.name); err != nil {
			return err
		}
	}
	if err := c.res.NS.Logout(ctx); err != nil {
		return fmt.Errorf("demo: log out carol: %w", err)
	}
	if err := d.await(ctx, a, c.res.Handle, false); err != nil {
		return err
	}
	if err := d.step("carol logged out; alice saw her go offline"); err != nil {
		return err
	}
	if err := a.res.NS.Logout(ctx); err != nil {
		return fmt.Errorf("demo: log out alice: %w", err)
	}
	return nil
}

// watch signs a demo account in, fetches its list and goes online.
func (d *demo) watch(ctx context.Context, acct server.Account) (*demoWatcher, error) {
	w := &demoWatcher{name: short(acct.Email), board: session.NewPresence(maxQueuedChanges)}
	pc := passport.New(d.srv.NexusURL(), d.pool)
	defer pc.CloseIdle()
	opts := d.env.protoOptions()
	opts.Handler = w.board.Handle
	res, err := proto.Login(ctx, proto.LoginConfig{
		Server: d.srv.NSAddr(), Email: acct.Email, Protocol: proto.MSNP8, Passport: pc, Options: opts,
		Password: func(context.Context) (secret.String, error) { return secret.New(acct.Password), nil },
	})
	if err != nil {
		return nil, fmt.Errorf("demo: log in %s: %w", acct.Email, err)
	}
	w.res = res
	if _, err := res.NS.Sync(ctx, nil); err != nil {
		res.NS.Close()
		return nil, fmt.Errorf("demo: %s's contact list: %w", w.name, err)
	}
	if err := res.NS.SetStatusAndSettle(ctx, proto.StatusOnline); err != nil {
		res.NS.Close()
		return nil, fmt.Errorf("demo: %s online: %w", w.name, err)
	}
	return w, nil
}

// add makes who add other to the forward and allow lists, and waits for
// other to be told.
func (d *demo) add(ctx context.Context, who, other *demoWatcher) error {
	email := other.res.Handle
	if _, err := who.res.NS.AddContact(ctx, proto.ForwardList, email, other.res.FriendlyName, proto.NoGroup); err != nil {
		return fmt.Errorf("demo: %s adds %s: %w", who.name, other.name, err)
	}
	if _, err := who.res.NS.AddContact(ctx, proto.AllowList, email, "", proto.NoGroup); err != nil {
		return fmt.Errorf("demo: %s allows %s: %w", who.name, other.name, err)
	}
	for {
		changes := other.board.Changes().Take()
		for _, c := range changes {
			if c.Reverse == "added" && strings.EqualFold(c.Email, who.res.Handle) {
				return d.step("%s added %s; %s was told", who.name, other.name, other.name)
			}
		}
		select {
		case <-other.board.Changes().Ready():
		case <-ctx.Done():
			return fmt.Errorf("demo: %s was not told: %w", other.name, ctx.Err())
		}
	}
}

// await waits until w's board shows email online (or offline).
func (d *demo) await(ctx context.Context, w *demoWatcher, email string, wantOnline bool) error {
	for {
		changed := w.board.Changed()
		if p, ok := w.board.Lookup(email); ok && session.IsOnline(p.Status) == wantOnline {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("demo: %s did not see %s change: %w", w.name, email, ctx.Err())
		}
	}
}

// demoAccount returns the demo account with the given local part.
func demoAccount(local string) server.Account {
	for _, a := range server.DemoAccounts() {
		if short(a.Email) == local {
			return a
		}
	}
	return server.Account{}
}
