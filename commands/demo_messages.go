package commands

import (
	"context"
	"errors"
	"fmt"

	"msn/proto"
	"msn/proto/passport"
	"msn/proto/secret"
	"msn/proto/server"
	"msn/proto/switchboard"
)

// demoInbox collects what a demo account receives: invitations to
// conversations on its notification connection, texts on its
// switchboards. Its handlers never block.
type demoInbox struct {
	rings  chan *proto.Ring
	texts  chan *switchboard.IncomingMessage
	offers chan *switchboard.Invitation
}

func newDemoInbox() *demoInbox {
	return &demoInbox{rings: make(chan *proto.Ring, 4), texts: make(chan *switchboard.IncomingMessage, 16),
		offers: make(chan *switchboard.Invitation, 4)}
}

// handleRing keeps the rings of the notification connection; what does
// not fit is dropped.
func (in *demoInbox) handleRing(ev proto.Event) {
	if ev, ok := ev.(*proto.Ring); ok {
		select {
		case in.rings <- ev:
		default:
		}
	}
}

// handle keeps a conversation's texts and file offers; what does not fit
// is dropped.
func (in *demoInbox) handle(ev switchboard.Event) {
	switch ev := ev.(type) {
	case *switchboard.IncomingMessage:
		select {
		case in.texts <- ev:
		default:
		}
	case *switchboard.Invitation:
		if ev.IsFileOffer() {
			select {
			case in.offers <- ev:
			default:
			}
		}
	}
}

// messages has alice send bob a message, which bob's listener prints,
// and bob answer in the same conversation; then alice sends bob a file.
func (d *demo) messages(ctx context.Context) error {
	alice, bob := demoAccount("alice"), demoAccount("bob")
	if alice.Email == "" || bob.Email == "" {
		return errors.New("demo: the demo accounts lack alice or bob")
	}
	bobIn, aliceIn := newDemoInbox(), newDemoInbox()
	b, err := d.online(ctx, bob, bobIn.handleRing)
	if err != nil {
		return err
	}
	defer b.NS.Close()
	a, err := d.online(ctx, alice, nil)
	if err != nil {
		return err
	}
	defer a.NS.Close()
	if err := d.step("alice and bob online for a conversation"); err != nil {
		return err
	}

	// bob listens: he answers the first invitation on his own goroutine,
	// since answering waits for the server.
	answered := make(chan *switchboard.Switchboard, 1)
	actx, stopAnswer := context.WithCancel(ctx)
	defer func() {
		stopAnswer()
		for sb := range answered { // ends when the goroutine does
			sb.Close()
		}
	}()
	go func() {
		defer close(answered)
		select {
		case ring := <-bobIn.rings:
			if sb, err := switchboard.Answer(actx, b.NS, ring, switchboard.Options{Handler: bobIn.handle}); err == nil {
				answered <- sb
			}
		case <-actx.Done():
		}
	}()
	sa, err := switchboard.OpenWithStatus(ctx, a.NS, "", switchboard.Options{Handler: aliceIn.handle})
	if err != nil {
		return fmt.Errorf("demo: alice's switchboard: %w", err)
	}
	defer sa.Close()
	if err := sa.Invite(ctx, bob.Email); err != nil {
		return fmt.Errorf("demo: alice invites bob: %w", err)
	}
	sb, ok := <-answered
	if !ok {
		return errors.New("demo: bob did not answer")
	}
	defer sb.Close()
	if err := d.step("alice opened a conversation; bob answered and joined"); err != nil {
		return err
	}
	if err := d.exchange(ctx, sa, bobIn, "alice", "bob", "hello bob"); err != nil {
		return err
	}
	if err := d.exchange(ctx, sb, aliceIn, "bob", "alice", "hi alice!"); err != nil {
		return err
	}
	if err := d.file(ctx, sa, a.NS, sb, bobIn); err != nil {
		return err
	}
	_ = sa.Leave(ctx)
	_ = sb.Leave(ctx)
	for _, r := range []*proto.LoginResult{a, b} {
		if err := r.NS.Logout(ctx); err != nil {
			return fmt.Errorf("demo: log out: %w", err)
		}
	}
	return d.step("both left the conversation and logged out")
}

// exchange sends text on from's switchboard and waits for to's inbox to
// print it.
func (d *demo) exchange(ctx context.Context, from *switchboard.Switchboard, to *demoInbox, fromName, toName, text string) error {
	if err := from.SendText(ctx, text, nil); err != nil {
		return fmt.Errorf("demo: %s sends: %w", fromName, err)
	}
	if err := d.step("%s sent %q; the server acknowledged it", fromName, text); err != nil {
		return err
	}
	select {
	case m := <-to.texts:
		return d.step("%s received: %s: %s", toName, escapeDisplay(m.From), escapeDisplay(m.Text))
	case <-ctx.Done():
		return fmt.Errorf("demo: %s did not receive the message: %w", toName, ctx.Err())
	}
}

// online signs a demo account in and sets it online.
func (d *demo) online(ctx context.Context, acct server.Account, handler func(proto.Event)) (*proto.LoginResult, error) {
	pc := passport.New(d.srv.NexusURL(), d.pool)
	defer pc.CloseIdle()
	opts := d.env.protoOptions()
	opts.Handler = handler
	res, err := proto.Login(ctx, proto.LoginConfig{
		Server: d.srv.NSAddr(), Email: acct.Email, Protocol: proto.MSNP8, Passport: pc, Options: opts,
		Password: func(context.Context) (secret.String, error) { return secret.New(acct.Password), nil },
	})
	if err != nil {
		return nil, fmt.Errorf("demo: log in %s: %w", acct.Email, err)
	}
	if err := res.NS.SetStatus(ctx, proto.StatusOnline); err != nil {
		res.NS.Close()
		return nil, fmt.Errorf("demo: %s online: %w", acct.Email, err)
	}
	return res, nil
}
