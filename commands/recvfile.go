package commands

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/urfave/cli/v2"

	"msn/commands/session"
	"msn/proto"
	"msn/proto/msnftp"
)

// defaultMaxSize is the largest offer recvfile accepts unless told
// otherwise.
const defaultMaxSize = "4GiB"

// recvfileOptions are the inputs of msn recvfile.
type recvfileOptions struct {
	From      []string
	Dir       string
	Count     int
	Idle      time.Duration
	MaxSize   int64
	Overwrite bool
	SHA256    bool
	Session   sessionOptions

	// onReady, when set, is called once recvfile is online; tests use it.
	onReady func()
	// deadlines are the transfers' deadlines; the zero value means the
	// defaults, and tests shorten them.
	deadlines msnftp.Options
}

// transfer returns the MSNFTP options of one transfer, committing with
// commit.
func (o recvfileOptions) transfer(commit func() error) msnftp.Options {
	opts := o.deadlines
	opts.Commit = commit
	return opts
}

// recvfileCommand returns msn recvfile.
func recvfileCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:  "recvfile",
		Usage: "stay online and receive the files contacts send (MSNFTP)",
		Description: "Logs in like msn listen, answers every conversation and accepts file offers: each file is " +
			"fetched directly from the sender (MSNFTP, peer to peer) into a temporary file in --dir, synced, and " +
			"given its name only when exactly the announced bytes arrived. The offered name is reduced to a safe " +
			"base name; an existing file is never replaced without --overwrite (\"name (1).ext\" instead). Offers " +
			"from senders not named by --from, larger than --max-size or than the free space are declined. The " +
			"path of each received file is printed on stdout (with --sha256 as \"DIGEST  PATH\", the format of " +
			"sha256sum); with --json one object per file: type, time, account, from, name, conversation, file, " +
			"path, size, seconds, sha256. A transfer that fails leaves nothing under the final name and is reported " +
			"on stderr; recvfile goes on, and its exit status is then that of the first failure: 74 cut short or " +
			"cancelled, 75 stalled or broken before the data began, 76 protocol error, 73 cannot create the " +
			"file; a last line counts the failures when there were several transfers. It runs until interrupted (0; 130 " +
			"when that cuts a transfer short or --count was not reached), " +
			"until --count files were received or failed, until --idle passed without an offer (75), or until " +
			"the server ends the session. MSNFTP cannot resume: a broken transfer must be sent again whole. " +
			"A progress line shows on stderr when it is a terminal (not with --quiet or --json).",
		Flags: append(passwordFlags(),
			&cli.StringSliceFlag{Name: "from", Usage: "accept files only from EMAIL (repeatable); decline the others"},
			&cli.StringFlag{Name: "dir", Value: ".", TakesFile: true, Usage: "save files in DIR"},
			&cli.IntFlag{Name: "count", Usage: "exit after N files"},
			&cli.DurationFlag{Name: "idle", Usage: "exit 75 when DURATION passes without a file"},
			&cli.StringFlag{Name: "max-size", Value: defaultMaxSize, Usage: "decline files larger than SIZE (500K, 100MiB, 4GiB)"},
			&cli.BoolFlag{Name: "overwrite", Usage: "replace an existing file of the same name"},
			&cli.BoolFlag{Name: "sha256", Usage: "print each file's SHA-256, computed while it is written"},
		),
		Action: func(c *cli.Context) error {
			opts, err := recvfileOptionsOf(c)
			if err != nil {
				return err
			}
			return runRecvfile(c.Context, env, opts)
		},
	}
}

// recvfileOptionsOf reads the flags of msn recvfile.
func recvfileOptionsOf(c *cli.Context) (recvfileOptions, error) {
	src, err := noArgsPasswordSources(c)
	if err != nil {
		return recvfileOptions{}, err
	}
	opts := recvfileOptions{
		From: c.StringSlice("from"), Dir: c.String("dir"), Count: c.Int("count"), Idle: c.Duration("idle"),
		Overwrite: c.Bool("overwrite"), SHA256: c.Bool("sha256"), Session: sessionOptions{Password: src},
	}
	if opts.Count < 0 || opts.Idle < 0 {
		return opts, usageErrorf("recvfile: --count and --idle must not be negative")
	}
	if opts.MaxSize, err = parseSize(c.String("max-size")); err != nil {
		return opts, usageErrorf("recvfile: --max-size: %v", err)
	}
	for _, f := range opts.From {
		if err := checkAccount(f); err != nil {
			return opts, err
		}
	}
	return opts, nil
}

// checkDir makes sure files can be saved in dir.
func checkDir(dir string) error {
	st, err := os.Stat(dir)
	if err == nil && !st.IsDir() {
		err = fmt.Errorf("%s is not a directory", dir)
	}
	if err != nil {
		return withCode(ExCantCreat, fmt.Errorf("recvfile: --dir: %w", err))
	}
	return nil
}

// fileReceiver is the state of msn recvfile.
type fileReceiver struct {
	env     *Env
	opts    recvfileOptions
	account string
	ns      session.Server
	queue   *session.Queue[listenEvent]
	convs   *session.Answerer

	// active counts transfers under way; bar is set while one of them
	// shows the progress line; cut is set when recvfile stopped one.
	active atomic.Int32
	bar    atomic.Bool
	cut    atomic.Bool

	handled int   // files received or failed
	failed  int   // files failed
	first   error // the first failure
	// broke says how the last conversation that broke ended, until a
	// file arrives: recvfile keeps waiting (the sender may offer again),
	// and an --idle that runs out then names it as the likely cause.
	broke string
}

// runRecvfile logs in, goes online and receives files until told to stop.
func runRecvfile(ctx context.Context, env *Env, opts recvfileOptions) error {
	if err := checkDir(opts.Dir); err != nil {
		return err
	}
	_, account, err := env.storeAndAccount("")
	if err != nil {
		return err
	}
	r := &fileReceiver{env: env, opts: opts, account: account, queue: session.NewQueue[listenEvent](maxQueued)}
	ring := func(ring *proto.Ring) { r.queue.Push(listenEvent{ring: ring}) }
	dir, _ := filepath.Abs(opts.Dir)
	on, err := env.stayOnline(ctx, account, opts.Session, ring, "receiving files into "+dir)
	if err != nil {
		return err
	}
	defer on.Close()
	r.ns, r.convs = on.Session.NS(), on.Answerer
	r.convs.Offer = r.offer
	r.convs.Trouble = func(t session.Trouble) {
		if t.Ended() {
			r.queue.Push(listenEvent{ended: &t})
			return
		}
		r.queue.Push(listenEvent{warn: "recvfile: " + troubleText(t)})
	}
	if opts.onReady != nil {
		opts.onReady()
	}
	err = r.loop(ctx)
	if idle := (*idleError)(nil); errors.As(err, &idle) {
		idle.cause = r.broke
	}
	on.Close() // transfers under way end first
	r.drain()
	return r.finish(ctx, err)
}

// drain reports the transfers that ended after the loop did.
func (r *fileReceiver) drain() {
	for _, e := range r.queue.Take() {
		if e.file != nil {
			_ = r.result(e.file)
		}
	}
}

// finish judges how recvfile ended: an interrupt is the normal end
// unless --count was not reached or a transfer was cut short (130); the
// first failed transfer sets the exit status of an otherwise clean end.
// Every failure has had its line on stderr already, so a summary ("2 of
// 3 transfers failed") follows only when more than one transfer was
// attempted; after a single one, its own line says it all.
func (r *fileReceiver) finish(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) && r.opts.Count == 0 && !r.cut.Load() {
		err = nil // an interrupt between transfers is how recvfile ends
	}
	if err != nil || r.first == nil {
		return err
	}
	if r.handled <= 1 {
		return &silentExit{code: ExitCode(r.first)}
	}
	return withCode(ExitCode(r.first), fmt.Errorf("recvfile: %d of %d transfers failed", r.failed, r.handled))
}

// loop handles events until recvfile has to end; a transfer under way
// holds --idle off.
func (r *fileReceiver) loop(ctx context.Context) error {
	lp := &eventLoop{env: r.env, cmd: "recvfile", what: "file", ns: r.ns, queue: r.queue, idle: r.opts.Idle,
		busy: func() bool { return r.active.Load() > 0 },
		handle: func(e listenEvent) (bool, bool, error) {
			err := r.handle(e)
			return e.file != nil, r.opts.Count > 0 && r.handled >= r.opts.Count, err
		}}
	return lp.run(ctx)
}

// handle acts on one event.
func (r *fileReceiver) handle(e listenEvent) error {
	switch {
	case e.warn != "":
		r.env.Warnf("%s", e.warn)
	case e.ended != nil:
		r.broke = convEndText(*e.ended)
	case e.file != nil:
		r.broke = ""
		return r.result(e.file)
	default:
		if e.ring != nil {
			r.convs.Answer(e.ring)
		}
	}
	return nil
}
