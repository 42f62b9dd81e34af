package session

import (
	"context"
	"errors"
	"sync"
	"time"

	"msn/proto"
	"msn/proto/switchboard"
)

// GoodbyeWait bounds the wait for a server to hang up after a goodbye,
// where waiting is worth it: a conversation that is left to be reopened,
// and everything a long-running session leaves.
const GoodbyeWait = 2 * time.Second

// CallOptions tune a Caller.
type CallOptions struct {
	// Recipients are invited into every switchboard the Caller opens.
	Recipients []string
	// WaitOnline, when positive, calls an offline recipient again as
	// soon as they come online, for up to that long.
	WaitOnline time.Duration
	// Typing sends a typing notification once the recipients joined.
	Typing bool
	// Presence returns the presence to announce, in the same write as
	// the first switchboard request after each login; nil means online.
	Presence func() proto.Status
	// Handler receives each switchboard's events on its reader
	// goroutine; nil ignores them.
	Handler func(switchboard.Event)
	// Hold serves the Caller's session to the account's other commands
	// while it is open (msn send -i).
	Hold bool
	// AckWait bounds the wait for each message's acknowledgement on the
	// switchboards the Caller opens; zero means switchboard.AckTimeout.
	AckWait time.Duration
}

// Failure is the failure of one recipient to join.
type Failure struct {
	Email string
	Err   error
}

// Caller is the sending side of a conversation: one login, and a
// switchboard with the recipients in it, opened again when asked after
// it closed. It is used from one goroutine.
type Caller struct {
	cfg      Config
	account  string
	login    Options
	opts     CallOptions
	presence *Presence

	sess   *Session
	status proto.Status // presence to set with the next switchboard; "" once set
	sb     *switchboard.Switchboard
}

// NewCaller prepares a conversation of account; nothing is sent before
// Open.
func NewCaller(cfg Config, account string, login Options, opts CallOptions) *Caller {
	return &Caller{cfg: cfg, account: account, login: login, opts: opts, presence: NewPresence(0)}
}

// Session returns the session, or nil before the first Open.
func (c *Caller) Session() *Session { return c.sess }

// Switchboard returns the open switchboard, or nil.
func (c *Caller) Switchboard() *switchboard.Switchboard { return c.sb }

// Open logs in, unless the notification connection is still up, starts
// a switchboard (with the presence set in the same write) and invites
// every recipient at once. It returns the recipients who joined and the
// failures of the others, in the order of the recipients; when nobody
// joined, the switchboard is closed again. err reports that no
// switchboard could be opened, or that ctx ended.
func (c *Caller) Open(ctx context.Context) (joined []string, failed []Failure, err error) {
	if err := c.connect(ctx); err != nil {
		return nil, nil, err
	}
	sb, err := switchboard.OpenWithStatus(ctx, c.sess.NS(), c.status, switchboard.Options{Handler: c.opts.Handler, AckWait: c.opts.AckWait})
	if err != nil {
		return nil, nil, err
	}
	c.status = ""
	errs := make([]error, len(c.opts.Recipients))
	var wg sync.WaitGroup
	for i, r := range c.opts.Recipients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = c.invite(ctx, sb, r)
		}()
	}
	wg.Wait()
	for i, r := range c.opts.Recipients {
		if errs[i] == nil {
			joined = append(joined, r)
			continue
		}
		if ctx.Err() != nil {
			sb.Close()
			if errors.Is(errs[i], ctx.Err()) {
				return nil, nil, errs[i] // it says who the time ran out on
			}
			return nil, nil, ctx.Err()
		}
		failed = append(failed, Failure{Email: r, Err: errs[i]})
	}
	if len(joined) == 0 {
		sb.Close()
		return nil, failed, nil
	}
	c.sb = sb
	if c.opts.Typing {
		if err := sb.SendTyping(ctx); err != nil {
			c.cfg.warnf("typing notification: %v", err)
		}
	}
	return joined, failed, nil
}

// connect logs in, unless the notification connection is still up.
func (c *Caller) connect(ctx context.Context) error {
	if c.sess != nil {
		if c.sess.NS().Err() == nil {
			return nil
		}
		_ = c.sess.Close()
		c.sess = nil
	}
	lo := c.login
	lo.Handler, lo.BackgroundSync, lo.Hold = c.presence.Handle, true, c.opts.Hold
	s, err := Open(ctx, c.cfg, c.account, lo)
	if err != nil {
		return err
	}
	c.sess, c.status = s, proto.StatusOnline
	switch {
	case s.visible():
		c.status = "" // the holder's presence stays as it is
	case c.opts.Presence != nil:
		c.status = c.opts.Presence()
	}
	return nil
}

// invite calls one recipient in; with WaitOnline, an offline one is
// called again as soon as the notification server says they came
// online.
func (c *Caller) invite(ctx context.Context, sb *switchboard.Switchboard, r string) error {
	deadline := time.Now().Add(c.opts.WaitOnline)
	for {
		mark := c.presence.Mark()
		err := sb.Invite(ctx, r)
		if err == nil || !errors.Is(err, proto.ErrOffline) || c.opts.WaitOnline <= 0 {
			return err
		}
		wctx, cancel := context.WithDeadline(ctx, deadline)
		werr := c.presence.WaitOnline(wctx, r, mark)
		cancel()
		if werr != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &StillOffline{Err: err, Wait: c.opts.WaitOnline}
		}
	}
}

// Leave says goodbye to the switchboard, waiting for the server to hang
// up for at most GoodbyeWait and never past by (unless by is zero), and
// forgets it; the next Open opens another.
func (c *Caller) Leave(by time.Time) {
	if c.sb == nil {
		return
	}
	end := time.Now().Add(GoodbyeWait)
	if !by.IsZero() && by.Before(end) {
		end = by
	}
	ctx, cancel := context.WithDeadline(context.Background(), end)
	defer cancel()
	_ = c.sb.Leave(ctx)
	c.sb = nil
}

// Close says goodbye to the switchboard and the notification server and
// closes both without waiting for them to hang up: every message has
// been acknowledged or reported by then, and a server treats a closed
// connection as a goodbye anyway, so waiting would only add a round trip.
func (c *Caller) Close() {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if sb := c.sb; sb != nil {
		c.sb = nil
		_ = sb.Leave(ctx)
	}
	if s := c.sess; s != nil {
		c.sess = nil
		s.HangUp()
		_ = s.Close()
	}
}
