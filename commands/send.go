package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/urfave/cli/v2"
)

// Limits of msn send.
const (
	// maxSendInput bounds a message, counted after its trailing line
	// ends are removed: the text of the arguments, the one read from
	// stdin, and one line of -i.
	maxSendInput = 1 << 20
	// maxLineEnds is how many bytes of trailing line ends stdin may add
	// to a message of maxSendInput bytes; they are removed before the
	// size is checked.
	maxLineEnds = 1 << 10
	// sendWindow is how many -i lines may await their acknowledgement.
	sendWindow = 32
	// maxRecipients bounds the people invited into one conversation.
	maxRecipients = 32
)

// sendOptions are the inputs of msn send.
type sendOptions struct {
	Recipients  []string
	Text        string // the message, when given as arguments
	HasText     bool
	Interactive bool
	Typing      bool
	WaitOnline  time.Duration
	Window      int
	Session     sessionOptions

	// onLeft, when set, is called (on a reader goroutine) when a
	// participant leaves; tests use it.
	onLeft func()
	// onSent, when set, is told instead of the output that the server
	// acknowledged messages for peer; msn notify uses it.
	onSent func(peer string, messages int) error
}

// sendCommand returns msn send.
func sendCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:      "send",
		Usage:     "send a message, or each line of stdin with -i",
		ArgsUsage: "TO... [TEXT]",
		Description: "Sends TEXT to every TO in one conversation. The recipients are the leading arguments " +
			"that look like e-mail addresses; the rest is the text, words joined by spaces. Put -- between " +
			"the recipients and a text that starts with an address or a dash, or name the recipients with " +
			"--to, which makes every argument text. Without TEXT the message is read from stdin (at most " +
			"1 MiB of UTF-8, trailing newlines removed). With -i every line of stdin is sent as soon as it " +
			"arrives, over one conversation that is reopened when it closes; empty lines are skipped. " +
			"The exit status is 0 only when the server acknowledged every message for every recipient; " +
			"each recipient that failed gets a line on stderr, and the first failure sets the exit status: " +
			"69 offline, hidden or blocking you, or not joining; 67 unknown or not in your contact list; " +
			"75 no acknowledgement, retry later.",
		Flags: append(passwordFlags(),
			&cli.StringSliceFlag{Name: "to", Usage: "send to EMAIL (repeatable); then every argument is text"},
			&cli.BoolFlag{Name: "interactive", Aliases: []string{"i"}, Usage: "send each line of stdin as soon as it arrives"},
			&cli.BoolFlag{Name: "typing", Usage: "send a typing notification first"},
			&cli.DurationFlag{Name: "wait-online", Usage: "wait up to DURATION for an offline recipient to come online"},
		),
		Action: func(c *cli.Context) error {
			opts, err := sendOptionsOf(c)
			if err != nil {
				return err
			}
			return runSend(c.Context, env, opts)
		},
	}
}

// sendOptionsOf reads the flags and arguments of msn send.
func sendOptionsOf(c *cli.Context) (sendOptions, error) {
	src, err := passwordSourcesOf(c)
	if err != nil {
		return sendOptions{}, err
	}
	opts := sendOptions{
		Interactive: c.Bool("interactive"),
		Typing:      c.Bool("typing"),
		WaitOnline:  c.Duration("wait-online"),
		Window:      sendWindow,
		Session:     sessionOptions{Password: src},
	}
	if opts.WaitOnline < 0 {
		return opts, usageErrorf("--wait-online %s: want a positive duration", opts.WaitOnline)
	}
	args := c.Args().Slice()
	beforeDashes, _, _ := cutArgs(args, "--")
	if err := refuseTrailingFlags(c, beforeDashes); err != nil {
		return opts, err
	}
	recipients, text, err := splitSendArgs(args, c.StringSlice("to"))
	if err != nil {
		return opts, err
	}
	opts.Recipients = recipients
	if len(text) > 0 {
		if opts.Interactive {
			return opts, usageErrorf("send -i reads the messages from stdin; unexpected text %q", strings.Join(text, " "))
		}
		opts.Text, opts.HasText = strings.Join(text, " "), true
	}
	if src.Stdin && !opts.HasText {
		return opts, usageErrorf("--password-stdin: stdin is the message; give the text as arguments, or use --password-file")
	}
	return opts, nil
}

// splitSendArgs separates the recipients from the text: with --to every
// argument is text; otherwise the recipients are the leading arguments
// that look like addresses, and a "--" after them starts the text.
func splitSendArgs(args, to []string) (recipients, text []string, err error) {
	if len(to) > 0 {
		recipients, text = to, args
	} else {
		i := 0
		for i < len(args) && looksLikeAddress(args[i]) {
			i++
		}
		recipients, text = args[:i], args[i:]
		if len(text) > 0 && text[0] == "--" {
			text = text[1:]
		} else if len(text) > 0 && strings.HasPrefix(text[0], "-") {
			return nil, nil, &codedError{code: ExUsage, err: fmt.Errorf("send: unexpected argument %q", text[0]),
				hint: "flags go before arguments; put -- before a text that starts with a dash"}
		}
	}
	if len(recipients) == 0 {
		return nil, nil, &codedError{code: ExUsage, err: errors.New("send: no recipient"), hint: "msn send EMAIL... [TEXT]"}
	}
	if len(recipients) > maxRecipients {
		return nil, nil, usageErrorf("send: more than %d recipients", maxRecipients)
	}
	seen := map[string]bool{}
	var out []string
	for _, r := range recipients {
		r = strings.TrimSpace(r)
		if err := checkAccount(r); err != nil {
			return nil, nil, err
		}
		if !seen[strings.ToLower(r)] {
			seen[strings.ToLower(r)] = true
			out = append(out, r)
		}
	}
	return out, text, nil
}

// looksLikeAddress reports whether a send argument is a recipient: one
// word with an @ that is neither first nor last.
func looksLikeAddress(s string) bool {
	at := strings.IndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.HasPrefix(s, "-") &&
		!strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f })
}

// readMessage reads the message of a one-shot send from stdin: at most
// maxSendInput bytes of UTF-8 once its trailing newlines are removed
// (and at most maxLineEnds bytes of them are read past that size).
func readMessage(env *Env) (string, error) {
	if env.stdinIsTerminal() {
		return "", &codedError{code: ExUsage, err: errors.New("send: no text, and stdin is a terminal"),
			hint: "give the text as arguments, or pipe it in: echo hello | msn send EMAIL"}
	}
	b, err := io.ReadAll(io.LimitReader(env.Stdin, maxSendInput+maxLineEnds+1))
	if err != nil {
		return "", withCode(ExIOErr, fmt.Errorf("send: read stdin: %w", err))
	}
	if len(b) > maxSendInput+maxLineEnds {
		return "", errMessageTooLong
	}
	return checkMessage(string(b))
}

// errMessageTooLong reports a message over maxSendInput bytes.
var errMessageTooLong = withCode(ExDataErr, fmt.Errorf("send: the message is longer than %d bytes", maxSendInput))

// checkMessage removes the trailing line ends of text, then rejects an
// empty text, one longer than maxSendInput bytes and one that is not
// UTF-8.
func checkMessage(text string) (string, error) {
	text = strings.TrimRight(text, "\r\n")
	switch {
	case len(text) > maxSendInput:
		return "", errMessageTooLong
	case text == "":
		return "", withCode(ExDataErr, errors.New("send: empty message"))
	case !utf8.ValidString(text):
		return "", withCode(ExDataErr, errors.New("send: the message is not valid UTF-8"))
	}
	return text, nil
}

// runSend logs in and sends the message, or the lines of stdin with -i.
func runSend(ctx context.Context, env *Env, opts sendOptions) error {
	text := opts.Text
	if !opts.Interactive {
		var err error
		if opts.HasText {
			text, err = checkMessage(text)
		} else {
			text, err = readMessage(env)
		}
		if err != nil {
			return err
		}
	}
	_, account, err := env.storeAndAccount("")
	if err != nil {
		return err
	}
	for _, r := range opts.Recipients {
		if strings.EqualFold(r, account) {
			return usageErrorf("send: %s is the account itself", r)
		}
	}
	cv, err := newConversation(ctx, env, account, opts)
	if err != nil {
		return err
	}
	if opts.Interactive {
		lines := readLines(env.Stdin)
		defer lines.stop()
		return cv.interactive(ctx, lines)
	}
	ctx, cancel := env.budget(ctx, opts.WaitOnline)
	defer cancel()
	return cv.sendOne(ctx, text)
}
