package commands

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"msn/commands/session"
	"msn/proto"
	"msn/proto/switchboard"
)

// Limits of msn listen.
const (
	// maxQueued bounds the events waiting to be printed; beyond it they
	// are dropped with a warning.
	maxQueued = 4096
)

// listenOptions are the inputs of msn listen.
type listenOptions struct {
	From   []string
	Count  int
	Idle   time.Duration
	Exec   string
	Typing bool
	// KeepOffers leaves file offers unanswered instead of declining them.
	KeepOffers bool
	// Reconnect signs in again after a temporary failure.
	Reconnect bool
	Session   sessionOptions

	// onReady, when set, is called once listen is online; tests use it.
	onReady func()
}

// listenCommand returns msn listen.
func listenCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:  "listen",
		Usage: "stay online, answer every conversation and print incoming messages",
		Description: "Logs in with the status saved by msn status set (online by default), answers every " +
			"invitation to a conversation and prints each message as \"FROM: TEXT\" on one line, control " +
			"characters escaped (\\n, \\x1b, \\u202e), or with --json as one object per line: type, time, " +
			"account, from, name, conversation, content_type and text. A message of another content type " +
			"prints as \"FROM: [content-type TYPE]\" (JSON: body_base64). A file offer prints as \"FROM: [file offer " +
			"\\\"NAME\\\", SIZE bytes, declined]\" (JSON: type file-offer, file, size, declined) and is declined, unless " +
			"--keep-offers; msn recvfile accepts files. Invitations to other applications are declined. It holds at most 16 " +
			"conversations: one quiet for 5 minutes is left, and when 16 are open the one quiet the longest is left to answer a " +
			"new invitation; a conversation that breaks (reset, cut in the middle of a message, stalled) is reported on stderr " +
			"and with --json as an object of type conversation-ended (with, cause, reason, broken). It runs until interrupted (exit 0; " +
			"130 when --count was not reached), until --count messages came (exit 0), until --idle passed " +
			"without one (exit 75), or until the server ends the session: 77 when the account signed in " +
			"elsewhere, 75 when the server shut down; with --reconnect it signs in again after a temporary failure.",
		Flags: append(passwordFlags(),
			&cli.StringSliceFlag{Name: "from", Usage: "only messages from EMAIL (repeatable)"},
			&cli.IntFlag{Name: "count", Usage: "exit after N messages"},
			&cli.DurationFlag{Name: "idle", Usage: "exit 75 when DURATION passes without a message"},
			&cli.StringFlag{Name: "exec", Usage: "run the shell command CMD for each message, with the text on its stdin and MSN_FROM, MSN_NAME, MSN_CONVERSATION and MSN_CONTENT_TYPE set, instead of printing it"},
			&cli.BoolFlag{Name: "typing", Usage: "also print typing notifications"},
			&cli.BoolFlag{Name: "keep-offers", Usage: "leave file offers unanswered instead of declining them"},
			&cli.BoolFlag{Name: "reconnect", Usage: "sign in again when the server drops the session (waits 1 s doubling to 2 min, with jitter)"},
		),
		Action: func(c *cli.Context) error {
			src, err := noArgsPasswordSources(c)
			if err != nil {
				return err
			}
			opts := listenOptions{
				From: c.StringSlice("from"), Count: c.Int("count"), Idle: c.Duration("idle"),
				Exec: c.String("exec"), Typing: c.Bool("typing"), KeepOffers: c.Bool("keep-offers"),
				Reconnect: c.Bool("reconnect"), Session: sessionOptions{Password: src},
			}
			if opts.Count < 0 || opts.Idle < 0 {
				return usageErrorf("listen: --count and --idle must not be negative")
			}
			for _, f := range opts.From {
				if err := checkAccount(f); err != nil {
					return err
				}
			}
			return runListen(c.Context, env, opts)
		},
	}
}

// listenEvent is an event of the notification connection or of one
// conversation.
type listenEvent struct {
	conv string            // the conversation's session id; "" for the notification connection
	ring *proto.Ring       // a ring of the notification connection
	ev   switchboard.Event // an event of the conversation conv
	warn string            // a warning from a conversation's goroutine, printed by the loop
	// ended reports a conversation broken, or left to stay responsive.
	ended *session.Trouble
	// file is the outcome of a file transfer, for recvfile's loop.
	file *receivedFile
}

// listener is the state of msn listen.
type listener struct {
	env     *Env
	opts    listenOptions
	account string
	ns      session.Server
	convs   *session.Answerer
	queue   *session.Queue[listenEvent]
	got     int
}

// runListen logs in, goes online and prints messages until told to stop.
// An interrupt is how listen normally ends, so it is not an error unless
// --count was not reached, whenever it comes.
func runListen(ctx context.Context, env *Env, opts listenOptions) error {
	err := listen(ctx, env, opts)
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) && opts.Count == 0 {
		return nil
	}
	return err
}

// listen is runListen before an interrupt is judged.
func listen(ctx context.Context, env *Env, opts listenOptions) error {
	_, account, err := env.storeAndAccount("")
	if err != nil {
		return err
	}
	l := &listener{env: env, opts: opts, account: account, queue: session.NewQueue[listenEvent](maxQueued)}
	return env.reconnecting(ctx, opts.Reconnect, "listen", l.session)
}

// session goes online and handles events until the session ends or
// listen has to end.
func (l *listener) session(ctx context.Context) error {
	l.queue.Take() // what a lost session left behind
	ring := func(r *proto.Ring) { l.push(listenEvent{ring: r}) }
	on, err := l.env.stayOnline(ctx, l.account, l.opts.Session, ring, "listening")
	if err != nil {
		return err
	}
	defer on.Close()
	l.ns, l.convs = on.Session.NS(), on.Answerer
	l.convs.Event = func(conv string, ev switchboard.Event) { l.push(listenEvent{conv: conv, ev: ev}) }
	l.convs.Offer = l.declineOffer
	l.convs.Trouble = func(t session.Trouble) {
		if t.Ended() {
			l.push(listenEvent{ended: &t})
			return
		}
		l.push(listenEvent{warn: "listen: " + troubleText(t)})
	}
	if l.opts.onReady != nil {
		l.opts.onReady()
	}
	return l.loop(ctx)
}

// loop handles events until listen has to end.
func (l *listener) loop(ctx context.Context) error {
	lp := &eventLoop{env: l.env, cmd: "listen", what: "message", ns: l.ns, queue: l.queue, idle: l.opts.Idle,
		handle: func(e listenEvent) (bool, bool, error) {
			before := l.got
			err := l.handle(ctx, e)
			return l.got > before, l.opts.Count > 0 && l.got >= l.opts.Count, err
		}}
	return lp.run(ctx)
}

// handle acts on one event.
func (l *listener) handle(ctx context.Context, e listenEvent) error {
	if e.warn != "" {
		l.env.Warnf("%s", e.warn)
		return nil
	}
	if e.ring != nil {
		l.convs.Answer(e.ring)
		return nil
	}
	if e.ended != nil {
		return l.conversationEnded(*e.ended)
	}
	switch ev := e.ev.(type) {
	case *switchboard.IncomingMessage:
		return l.message(ctx, e.conv, ev.From, ev.FromName, ev.ContentType, ev.Text, ev.Message)
	case *switchboard.Invitation:
		return l.fileOffer(ctx, e.conv, ev)
	case *switchboard.Typing:
		if l.opts.Typing && l.wanted(ev.Email) {
			return l.printTyping(e.conv, ev.Email, ev.Name)
		}
	case *switchboard.Malformed:
		l.env.Warnf("listen: ignored a malformed line from the server: %v", ev.Err)
	}
	return nil
}

// message counts, prints or hands over one message from a wanted sender.
func (l *listener) message(ctx context.Context, conv, from, name, ctype, text string, m *proto.Message) error {
	if !l.wanted(from) {
		return nil
	}
	l.got++
	text = strings.ReplaceAll(text, "\r\n", "\n") // the protocol's line break, as a Unix one
	in := incoming{time: time.Now(), from: from, name: name, conv: conv, contentType: ctype, text: text}
	if m != nil {
		in.body = m.Body
	}
	if l.opts.Exec != "" {
		l.runExec(ctx, in)
		return nil
	}
	return l.print(in)
}

// wanted applies --from.
func (l *listener) wanted(from string) bool { return fromWanted(l.opts.From, from) }

// fromWanted reports whether from passes a --from list: an empty list
// lets everyone through.
func fromWanted(list []string, from string) bool {
	if len(list) == 0 {
		return true
	}
	for _, f := range list {
		if strings.EqualFold(f, from) {
			return true
		}
	}
	return false
}

// push queues an event for the loop; it never blocks.
func (l *listener) push(e listenEvent) { l.queue.Push(e) }
