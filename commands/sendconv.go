package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"msn/commands/session"
	"msn/proto"
	"msn/proto/switchboard"
)

// conversation is the sending side of msn send and sendfile: a
// session.Caller that logs in and opens the switchboard, and the
// account of which recipient failed and how, for the exit status.
type conversation struct {
	env     *Env
	account string
	opts    sendOptions
	caller  *session.Caller

	failed   map[string]error // the first failure of each recipient
	failures []string         // recipients in the order they failed
}

// newConversation prepares a conversation; nothing is sent before open.
// A password flag is read now, within ctx.
func newConversation(ctx context.Context, env *Env, account string, opts sendOptions) (*conversation, error) {
	store, err := env.checkedStore(ctx, opts.Session)
	if err != nil {
		return nil, err
	}
	cv := &conversation{env: env, account: account, opts: opts, failed: map[string]error{}}
	cv.caller = session.NewCaller(env.sessionConfig(store), account, env.sessionLogin(opts.Session, store, account), session.CallOptions{
		Recipients: opts.Recipients,
		WaitOnline: opts.WaitOnline,
		Typing:     opts.Typing,
		Presence:   func() proto.Status { return env.ownPresence(account, true) },
		Handler:    cv.sbEvent,
		Hold:       opts.Interactive,
		AckWait:    env.opts.Timeout,
	})
	return cv, nil
}

// sendOne opens the conversation, sends text and waits for its
// acknowledgement, all within ctx, the command's budget.
func (cv *conversation) sendOne(ctx context.Context, text string) error {
	defer cv.close()
	joined, err := cv.open(ctx)
	if err != nil {
		return cv.result(err)
	}
	if err := cv.sb().GoText(ctx, text, nil).Wait(ctx); err != nil {
		if errors.Is(ctx.Err(), context.Canceled) {
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

// sb returns the open switchboard, or nil.
func (cv *conversation) sb() *switchboard.Switchboard { return cv.caller.Switchboard() }

// open logs in when needed, opens the switchboard and invites every
// recipient. It returns the recipients who joined; when none did, it
// fails with the first one's error.
func (cv *conversation) open(ctx context.Context) ([]string, error) {
	joined, failed, err := cv.caller.Open(ctx)
	if err != nil {
		return nil, cv.env.explainLoginError(err)
	}
	var first error
	for _, f := range failed {
		cv.fail(f.Email, f.Err)
		if first == nil {
			first = cv.failed[strings.ToLower(f.Email)]
		}
	}
	if len(joined) == 0 {
		return nil, first
	}
	return joined, nil
}

// sbEvent receives the switchboard's events on its reader goroutine.
func (cv *conversation) sbEvent(ev switchboard.Event) {
	if _, ok := ev.(*switchboard.Left); ok && cv.opts.onLeft != nil {
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
	if cv.env.opts.JSON {
		for _, key := range cv.failures {
			if err := cv.reportFailed(key, cv.failed[key]); err != nil {
				return err
			}
		}
	}
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
	if cv.opts.onSent != nil {
		return cv.opts.onSent(r, n)
	}
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

// reportFailed prints, with --json, the failure of one recipient as an
// object on stdout, next to the "sent" objects of the others.
func (cv *conversation) reportFailed(peer string, err error) error {
	why := message(err)
	var re *recipientError
	if errors.As(err, &re) {
		peer, why = re.email, re.reason()
	}
	return cv.env.printJSON(map[string]any{
		"type": "failed", "time": timestamp(time.Now()), "account": cv.account, "peer": peer,
		"code": ExitCode(err), "message": why,
	})
}

// close says goodbye to the switchboard and the notification server.
func (cv *conversation) close() { cv.caller.Close() }

// recipientError is the failure of one recipient.
type recipientError struct {
	email string
	err   error
}

// Error names the recipient and says what went wrong in plain words.
func (e *recipientError) Error() string { return e.email + ": " + e.reason() }

// reason says what went wrong, in plain words.
func (e *recipientError) reason() string {
	what := message(e.err)
	switch {
	case errors.Is(e.err, proto.ErrOffline):
		what = "offline, hidden, or not accepting messages from you"
		var so *session.StillOffline
		if errors.As(e.err, &so) {
			what += fmt.Sprintf(", and did not come online within --wait-online %s", so.Wait)
		}
	case errors.Is(e.err, proto.ErrUnknownUser):
		what = "unknown user, or not in your contact list"
	case errors.Is(e.err, switchboard.ErrNoAnswer):
		what = "did not join the conversation"
	case errors.Is(e.err, switchboard.ErrNotDelivered), errors.Is(e.err, switchboard.ErrNoParticipants):
		what = "the server could not deliver the message"
	case errors.Is(e.err, switchboard.ErrUnconfirmed):
		what = "the server did not acknowledge the message; it may not have arrived"
	}
	return what
}

// Unwrap returns the underlying error, which sets the exit status.
func (e *recipientError) Unwrap() error { return e.err }

// Hint suggests what to do about the failure.
func (e *recipientError) Hint() string {
	switch {
	case errors.Is(e.err, proto.ErrOffline) && !errors.As(e.err, new(*session.StillOffline)):
		return "--wait-online DURATION waits for them to come online"
	case errors.Is(e.err, proto.ErrUnknownUser):
		return "check the address, or add them to your contacts"
	case errors.Is(e.err, switchboard.ErrUnconfirmed):
		return "retry later"
	}
	return hintOf(e.err)
}
