package commands

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"
	"time"

	"msn/commands/session"
)

// conversationEnded reports a conversation listen lost or left on its
// own (see session.Trouble.Ended): one line on stderr naming who was in
// it and why, and with --json an event on stdout,
//
//	{"type":"conversation-ended","conversation":ID,"with":[EMAIL...],
//	 "broken":BOOL,"cause":"broken"|"idle"|"full","reason":TEXT,...}
//
// A broken one is said even with --quiet, since messages may have been
// lost with it; a left one is not. The event goes out when --from lets
// one of the participants through.
func (l *listener) conversationEnded(t session.Trouble) error {
	cause, reason := endCause(t)
	broken := t.Kind == session.ConversationBroken
	if broken || !l.env.opts.Quiet {
		l.env.errorf("listen: %s", convEndText(t))
	}
	if !l.env.opts.JSON || !l.anyWanted(t.With) {
		return nil
	}
	return l.env.printJSON(map[string]any{
		"type": "conversation-ended", "time": timestamp(time.Now()), "account": l.account,
		"conversation": t.Conv, "with": t.With, "broken": broken, "cause": cause, "reason": reason,
	})
}

// anyWanted reports whether --from lets one of emails through.
func (l *listener) anyWanted(emails []string) bool {
	for _, e := range emails {
		if l.wanted(e) {
			return true
		}
	}
	return false
}

// convEndText says how a conversation ended, for a line on stderr: "the
// conversation with alice@example.com broke: the connection was reset".
func convEndText(t session.Trouble) string {
	with := make([]string, len(t.With))
	for i, e := range t.With {
		with[i] = escapeDisplay(e)
	}
	who := strings.Join(with, ", ")
	_, reason := endCause(t)
	if t.Kind == session.ConversationBroken {
		return fmt.Sprintf("the conversation with %s broke: %s", who, reason)
	}
	return fmt.Sprintf("left the conversation with %s: %s", who, reason)
}

// endCause returns the cause of a conversation's end as a word for
// JSON and as plain words.
func endCause(t session.Trouble) (cause, reason string) {
	quiet := roughly(t.Quiet)
	switch t.Kind {
	case session.LeftIdle:
		return "idle", fmt.Sprintf("nothing came for %s", quiet)
	case session.LeftForNew:
		return "full", fmt.Sprintf("%d conversations were open and %s invited you; this one had been quiet the longest (%s)",
			session.MaxConversations, escapeDisplay(t.From), quiet)
	}
	return "broken", brokenReason(t.Err)
}

// brokenReason says in plain words why a conversation's connection
// failed.
func brokenReason(err error) string {
	switch {
	case err == nil:
		return "the connection ended"
	case errors.Is(err, session.ErrHungUp):
		return "the server hung up while others were still in it"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the connection was cut in the middle of a message"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "the connection was reset"
	case isTimeout(err):
		return "the connection stalled"
	}
	return message(err)
}

// roughly rounds d for a message: to the millisecond under a second, to
// a tenth under ten seconds, else to the second.
func roughly(d time.Duration) time.Duration {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond)
	case d < 10*time.Second:
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}
