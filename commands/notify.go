package commands

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
)

// defaultNotifyLines is the default of notify --lines.
const defaultNotifyLines = 20

// notifyOptions are the inputs of msn notify.
type notifyOptions struct {
	Recipients []string
	Argv       []string // the command and its arguments
	Lines      int
	OnFailure  bool
	Start      bool
	Session    sessionOptions
}

// notifyCommand returns msn notify.
func notifyCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:      "notify",
		Usage:     "run a command, then send how it ended",
		ArgsUsage: "TO... -- CMD [ARGS...]",
		Description: "Runs CMD with ARGS directly, without a shell (use sh -c 'LINE' for one), with msn's stdin, " +
			"then sends every TO one message: the command line, the exit status or the signal that ended it, " +
			"how long it ran, the host, and the last --lines lines of its stdout and stderr together, in the " +
			"order they came, control characters escaped, cut to fit one message. The output still goes to " +
			"msn's stdout and stderr (through a pipe) unless -q. SIGINT, SIGTERM and SIGHUP are passed on to " +
			"CMD, and the message says how it ended; another signal after CMD ended stops the sending. " +
			"The message is sent after CMD ends, within --timeout from then. With --start a message is also " +
			"sent before CMD starts; when it cannot be sent, msn says so on stderr and runs CMD anyway. " +
			"The exit status is CMD's, as a shell gives it: 128+N after signal N, 127 when CMD is not found, " +
			"126 when it cannot be run. When CMD succeeded but a message could not be sent, it is what msn " +
			"send would exit with (69 offline, 67 unknown, 75 retry later). With --json one object per " +
			"message sent is printed on stdout.",
		Flags: append(notifyPasswordFlags(),
			&cli.IntFlag{Name: "lines", Value: defaultNotifyLines, Usage: "send the last N lines of the output (0: none)"},
			&cli.BoolFlag{Name: "on-failure", Usage: "send only when CMD fails"},
			&cli.BoolFlag{Name: "start", Usage: "also send a message when CMD starts"},
		),
		Action: func(c *cli.Context) error {
			opts, err := notifyOptionsOf(c)
			if err != nil {
				return err
			}
			sigs := make(chan os.Signal, 4)
			signal.Notify(sigs, forwardedSignals...)
			defer signal.Stop(sigs)
			return runNotify(c.Context, env, opts, sigs)
		},
	}
}

// notifyPasswordFlags are the password flags but --password-stdin:
// stdin belongs to the command.
func notifyPasswordFlags() []cli.Flag {
	var out []cli.Flag
	for _, f := range passwordFlags() {
		if f.Names()[0] != "password-stdin" {
			out = append(out, f)
		}
	}
	return out
}

// notifyOptionsOf reads the flags and arguments of msn notify.
func notifyOptionsOf(c *cli.Context) (notifyOptions, error) {
	src, err := passwordSourcesOf(c)
	if err != nil {
		return notifyOptions{}, err
	}
	opts := notifyOptions{
		Lines:     c.Int("lines"),
		OnFailure: c.Bool("on-failure"),
		Start:     c.Bool("start"),
		Session:   sessionOptions{Password: src},
	}
	if opts.Lines < 0 {
		return opts, usageErrorf("--lines %d: want 0 or more", opts.Lines)
	}
	opts.Recipients, opts.Argv, err = splitNotifyArgs(c.Args().Slice())
	return opts, err
}

// splitNotifyArgs separates the recipients, the leading arguments that
// look like addresses, from the command, which follows a "--".
func splitNotifyArgs(args []string) (recipients, argv []string, err error) {
	i := 0
	for i < len(args) && looksLikeAddress(args[i]) {
		i++
	}
	hint := "msn notify EMAIL... -- CMD [ARGS...]"
	switch {
	case i == 0:
		return nil, nil, &codedError{code: ExUsage, err: errors.New("notify: no recipient"), hint: hint}
	case i == len(args):
		return nil, nil, &codedError{code: ExUsage, err: errors.New("notify: no command"), hint: hint}
	case args[i] != "--":
		return nil, nil, &codedError{code: ExUsage, err: fmt.Errorf("notify: unexpected argument %q", args[i]),
			hint: "flags go before the recipients, and -- before the command"}
	case i+1 == len(args):
		return nil, nil, &codedError{code: ExUsage, err: errors.New("notify: no command after --"), hint: hint}
	case i > maxRecipients:
		return nil, nil, usageErrorf("notify: more than %d recipients", maxRecipients)
	}
	seen := map[string]bool{}
	for _, r := range args[:i] {
		if err := checkAccount(r); err != nil {
			return nil, nil, err
		}
		if !seen[strings.ToLower(r)] {
			seen[strings.ToLower(r)] = true
			recipients = append(recipients, r)
		}
	}
	return recipients, args[i+1:], nil
}

// runNotify sends the start message when asked, runs the command,
// forwarding sigs to it, and sends how it ended. Account, keyring and
// network problems are only met when a message is sent, so that they
// never keep the command from running.
func runNotify(ctx context.Context, env *Env, opts notifyOptions, sigs <-chan os.Signal) error {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown host"
	}
	var startErr, endErr error
	if opts.Start {
		// The start message has a --timeout of its own: the command's
		// budget (env.budget) is left for the message that ends it.
		sctx, cancel := context.WithTimeout(ctx, env.opts.Timeout)
		text := startText(opts.Argv, host)
		startErr = notifySend(sctx, env, opts, text, map[string]any{"event": "start"})
		cancel()
		if startErr != nil && ctx.Err() == nil {
			Report(env.Stderr, fmt.Errorf("notify --start: %w", startErr))
		}
	}
	if ctx.Err() != nil {
		return ctx.Err() // interrupted before the command started
	}
	spec := runSpec{Argv: opts.Argv, Stdin: env.Stdin, Tail: newTail(opts.Lines), Signals: sigs}
	if !env.opts.Quiet {
		spec.Stdout, spec.Stderr = env.Stdout, env.Stderr
	}
	out := runCommand(spec)
	if !opts.OnFailure || out.failed() {
		endErr = sendEnd(ctx, env, opts, host, out, spec.Tail, sigs)
	}
	return notifyResult(env, out, startErr, endErr)
}

// sendEnd sends how the command ended. A signal that arrives now, after
// the command ended, stops the sending; the one that may have ended the
// command and cancelled ctx does not.
func sendEnd(ctx context.Context, env *Env, opts notifyOptions, host string, out runOutcome, tl *tail, sigs <-chan os.Signal) error {
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	stop := cancelOnSignal(sigs, cancel)
	defer stop()
	// env.budget fixes the deadline at its first call, which is this
	// one: nothing before the command called it, so the time the
	// command ran does not count against sending.
	bctx, bcancel := env.budget(sctx, 0)
	defer bcancel()
	lines, total := tl.Lines()
	text := endText(notifyReport{Argv: opts.Argv, Host: host, Outcome: out, Lines: lines, Total: total, MaxLines: opts.Lines})
	fields := map[string]any{
		"event": "end", "exit_status": out.Status, "duration_ms": out.Duration.Milliseconds(), "output_lines": total,
	}
	if out.Signal != 0 {
		fields["signal"] = signalName(out.Signal)
	}
	return notifySend(bctx, env, opts, text, fields)
}

// notifySend sends text to the recipients over send's conversation and,
// with --json, prints one object naming who got it, with fields.
func notifySend(ctx context.Context, env *Env, opts notifyOptions, text string, fields map[string]any) error {
	_, account, err := env.storeAndAccount("")
	if err != nil {
		return err
	}
	for _, r := range opts.Recipients {
		if strings.EqualFold(r, account) {
			return usageErrorf("notify: %s is the account itself", r)
		}
	}
	var peers []string
	cv, err := newConversation(ctx, env, account, sendOptions{
		Recipients: opts.Recipients,
		Window:     sendWindow,
		Session:    opts.Session,
		onSent: func(peer string, _ int) error {
			peers = append(peers, peer)
			return nil
		},
	})
	if err != nil {
		return err
	}
	err = cv.sendOne(ctx, text)
	if env.opts.JSON && len(peers) > 0 {
		obj := map[string]any{
			"type": "notified", "time": timestamp(time.Now()), "account": account, "peers": peers,
			"command": opts.Argv, "text": text,
		}
		for k, v := range fields {
			obj[k] = v
		}
		if perr := env.printJSON(obj); err == nil {
			err = perr
		}
	}
	return err
}

// cancelOnSignal calls cancel when a signal arrives, until stop is
// called; stop returns once the watching goroutine has ended.
func cancelOnSignal(sigs <-chan os.Signal, cancel func()) (stop func()) {
	done := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		select {
		case <-sigs:
			cancel()
		case <-done:
		}
	}()
	return func() {
		close(done)
		<-exited
	}
}

// notifyResult is the outcome of msn notify. When the command failed,
// it is the command's exit status, after the end message's failure is
// printed. When it succeeded, it is the end message's failure, else the
// --start message's, which was printed when it happened.
func notifyResult(env *Env, out runOutcome, startErr, endErr error) error {
	switch {
	case out.failed():
		if endErr != nil {
			Report(env.Stderr, endErr)
		}
		return &silentExit{code: out.Status}
	case endErr != nil:
		return endErr
	case startErr != nil:
		return &silentExit{code: ExitCode(startErr)}
	}
	return nil
}

// silentExit makes msn exit with code without printing anything: the
// command's own status, or a failure already reported.
type silentExit struct{ code int }

// Error says which status msn exits with.
func (e *silentExit) Error() string { return fmt.Sprintf("exit status %d", e.code) }
