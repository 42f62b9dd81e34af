package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"msn/proto"
)

// goodbyeWait bounds the wait for a server to hang up after a goodbye,
// where waiting is worth it: a conversation send -i leaves to reopen,
// and everything listen leaves.
const goodbyeWait = 2 * time.Second

// conversation is the sending side of msn send: one login, and a
// switchboard with the recipients in it, reopened by -i when it closes.
type conversation struct {
	env     *Env
	account string
	opts    sendOptions
	watch   *presenceWatch

	sess     *session
	endLogin context.CancelFunc // ends the login's context, once the session is closed
	status   proto.Status       // presence to set with the next switchboard; "" once set
	sb       *proto.Switchboard

	failed   map[string]error // the first failure of each recipient
	failures []string         // recipients in the order they failed
}

// newConversation prepares a conversation; nothing is sent before open.
func newConversation(env *Env, account string, opts sendOptions) *conversation {
	return &conversation{env: env, account: account, opts: opts, watch: newPresenceWatch(),
		failed: map[string]error{}, endLogin: func() {}}
}

// sendOne opens the conversation, sends text and waits for its
// acknowledgement.
func (cv *conversation) sendOne(ctx context.Context, text string) error {
	defer cv.close()
	joined, err := cv.open(ctx)
	if err != nil {
		return cv.result(err)
	}
	wctx, cancel := context.WithTimeout(ctx, cv.env.opts.Timeout)
	defer cancel()
	if err := cv.sb.GoText(text, nil).Wait(wctx); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		for _, r := range joined {
			cv.fail(r, err)
		}
		return cv.result(nil)
	}
	for _, r := range joined {
		if err := cv.reportSent(r, 1); err != nil {
			return err
		}
	}
	return cv.result(nil)
}

// connect logs in, unless the notification connection is still up.
func (cv *conversation) connect(ctx context.Context) error {
	if cv.sess != nil {
		if cv.sess.Result.NS.Err() == nil {
			return nil
		}
		cv.sess.Close()
		cv.sess = nil
		cv.endLogin()
	}
	so := cv.opts.Session
	so.Handler, so.BackgroundSync = cv.watch.handle, true
	// The contact list sync goes on in the background under the same
	// context, so it lives as long as the session.
	lctx, cancel := context.WithTimeout(ctx, cv.env.opts.Timeout)
	s, err := cv.env.login(lctx, cv.account, so)
	if err != nil {
		cancel()
		return err
	}
	cv.sess, cv.status, cv.endLogin = s, cv.env.ownPresence(cv.account, true), cancel
	return nil
}

// open starts a switchboard, with the account's presence set in the same
// write, and invites every recipient at once. It returns the recipients
// who joined; when none did, it fails with the first one's error.
func (cv *conversation) open(ctx context.Context) ([]string, error) {
	if err := cv.connect(ctx); err != nil {
		return nil, err
	}
	octx, cancel := context.WithTimeout(ctx, cv.env.opts.Timeout)
	sb, err := cv.sess.Result.NS.SwitchboardWithStatus(octx, cv.status, proto.SwitchboardOptions{Handler: cv.sbEvent})
	cancel()
	if err != nil {
		return nil, err
	}
	cv.status = ""
	errs := make([]error, len(cv.opts.Recipients))
	var wg sync.WaitGroup
	for i, r := range cv.opts.Recipients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = cv.invite(ctx, sb, r)
		}()
	}
	wg.Wait()
	var joined []string
	var first error
	for i, r := range cv.opts.Recipients {
		if errs[i] == nil {
			joined = append(joined, r)
			continue
		}
		if ctx.Err() != nil {
			sb.Close()
			return nil, ctx.Err()
		}
		cv.fail(r, errs[i])
		if first == nil {
			first = cv.failed[strings.ToLower(r)]
		}
	}
	if len(joined) == 0 {
		sb.Close()
		return nil, first
	}
	cv.sb = sb
	if cv.opts.Typing {
		if err := sb.SendTyping(ctx); err != nil {
			cv.env.Warnf("typing notification: %v", err)
		}
	}
	return joined, nil
}

// invite calls one recipient in; with --wait-online, an offline one is
// called again as soon as the notification server says they came online.
func (cv *conversation) invite(ctx context.Context, sb *proto.Switchboard, r string) error {
	deadline := time.Now().Add(cv.opts.WaitOnline)
	for {
		mark := cv.watch.mark()
		ictx, cancel := context.WithTimeout(ctx, cv.env.opts.Timeout+proto.JoinTimeout)
		err := sb.Invite(ictx, r)
		cancel()
		if err == nil || !errors.Is(err, proto.ErrOffline) || cv.opts.WaitOnline <= 0 {
			return err
		}
		wctx, cancel := context.WithDeadline(ctx, deadline)
		werr := cv.watch.waitOnline(wctx, r, mark)
		cancel()
		if werr != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &stillOffline{err: err, wait: cv.opts.WaitOnline}
		}
	}
}

// sbEvent receives the switchboard's events on its reader goroutine.
func (cv *conversation) sbEvent(ev proto.Event) {
	if _, ok := ev.(*proto.Left); ok && cv.opts.onLeft != nil {
		cv.opts.onLeft()
	}
}

// fail records the first failure of recipient r.
func (cv *conversation) fail(r string, err error) {
	key := strings.ToLower(r)
	if _, ok := cv.failed[key]; ok {
		return
	}
	cv.failed[key] = &recipientError{email: r, err: err}
	cv.failures = append(cv.failures, key)
}

// result is the outcome of the command: err when nothing could be
// recorded per recipient, nil when no recipient failed, the failure
// itself when one did, and a summary after one line per recipient when
// several did. The exit status is the first failure's.
func (cv *conversation) result(err error) error {
	if len(cv.failures) == 0 || errors.Is(err, context.Canceled) {
		return err
	}
	first := cv.failed[cv.failures[0]]
	if len(cv.failures) == 1 {
		return first
	}
	for _, key := range cv.failures {
		cv.env.errorf("%v", cv.failed[key])
	}
	return withCode(ExitCode(first), fmt.Errorf("send: %d of %d recipients failed", len(cv.failures), len(cv.opts.Recipients)))
}

// reportSent says that the server acknowledged n messages for r.
func (cv *conversation) reportSent(r string, n int) error {
	if cv.env.opts.JSON {
		return cv.env.printJSON(map[string]any{
			"type": "sent", "time": timestamp(time.Now()), "account": cv.account, "peer": r, "messages": n,
		})
	}
	if cv.env.opts.Quiet {
		return nil
	}
	var err error
	if n == 1 {
		_, err = fmt.Fprintf(cv.env.Stdout, "sent to %s\n", r)
	} else {
		_, err = fmt.Fprintf(cv.env.Stdout, "sent %d messages to %s\n", n, r)
	}
	return err
}

// close says goodbye to the switchboard and the notification server and
// closes both without waiting for them to hang up: every message has
// been acknowledged or reported by then, and a server treats a closed
// connection as a goodbye anyway, so waiting would only add a round trip.
func (cv *conversation) close() {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if sb := cv.sb; sb != nil {
		cv.sb = nil
		_ = sb.Leave(ctx)
	}
	if s := cv.sess; s != nil {
		cv.sess = nil
		_ = s.Result.NS.Logout(ctx)
		_ = s.Close()
		cv.endLogin()
	}
}

// recipientError is the failure of one recipient.
type recipientError struct {
	email string
	err   error
}

// Error names the recipient and says what went wrong in plain words.
func (e *recipientError) Error() string {
	what := e.err.Error()
	switch {
	case errors.Is(e.err, proto.ErrOffline):
		what = "offline, hidden, or not accepting messages from you"
		var so *stillOffline
		if errors.As(e.err, &so) {
			what += fmt.Sprintf(", and did not come online within --wait-online %s", so.wait)
		}
	case errors.Is(e.err, proto.ErrUnknownUser):
		what = "unknown user, or not in your contact list"
	case errors.Is(e.err, proto.ErrNoAnswer):
		what = "did not join the conversation"
	case errors.Is(e.err, proto.ErrNotDelivered), errors.Is(e.err, proto.ErrNoParticipants):
		what = "the server could not deliver the message"
	case errors.Is(e.err, proto.ErrUnconfirmed):
		what = "the server did not acknowledge the message; it may not have arrived"
	}
	return e.email + ": " + what
}

// Unwrap returns the underlying error, which sets the exit status.
func (e *recipientError) Unwrap() error { return e.err }

// Hint suggests what to do about the failure.
func (e *recipientError) Hint() string {
	switch {
	case errors.Is(e.err, proto.ErrOffline) && !errors.As(e.err, new(*stillOffline)):
		return "--wait-online DURATION waits for them to come online"
	case errors.Is(e.err, proto.ErrUnknownUser):
		return "check the address, or add them to your contacts"
	case errors.Is(e.err, proto.ErrUnconfirmed):
		return "retry later"
	}
	return hintOf(e.err)
}

// stillOffline is the failure of a recipient who stayed offline for the
// whole of --wait-online.
type stillOffline struct {
	err  error
	wait time.Duration
}

// Error says how long the wait was.
func (e *stillOffline) Error() string {
	return fmt.Sprintf("%v; not online within %s", e.err, e.wait)
}

// Unwrap returns the error of the last invitation.
func (e *stillOffline) Unwrap() error { return e.err }
