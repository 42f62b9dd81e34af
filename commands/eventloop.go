package commands

import (
	"context"
	"errors"
	"fmt"
	"time"

	"msn/commands/session"
	"msn/proto"
)

// eventLoop is the main loop of a long-running command (listen,
// recvfile): it passes the queued events to handle, in order, until ctx
// ends, the session ends, --idle passes without an event that counts,
// or handle says the command is done.
type eventLoop struct {
	env   *Env
	cmd   string // the command, for messages: "listen"
	what  string // what --idle waits for: "message"
	ns    session.Server
	queue *session.Queue[listenEvent]
	idle  time.Duration
	// busy, when set, holds the idle timer off while it reports true (a
	// transfer under way).
	busy func() bool
	// handle acts on one event and reports whether it counted (which
	// restarts the idle timer) and whether the command is done.
	handle func(listenEvent) (counted, done bool, err error)
}

// idleError is the error of a loop whose --idle ran out; cause, when
// set, says what probably kept the event away.
type idleError struct {
	cmd, what string
	idle      time.Duration
	cause     string
}

// Error says what did not come in time, and why when that is known.
func (e *idleError) Error() string {
	msg := fmt.Sprintf("%s: no %s within --idle %s", e.cmd, e.what, e.idle)
	if e.cause != "" {
		msg += "; " + e.cause
	}
	return msg
}

// run runs the loop.
func (lp *eventLoop) run(ctx context.Context) error {
	var idle <-chan time.Time
	var timer *time.Timer
	if lp.idle > 0 {
		timer = time.NewTimer(lp.idle)
		defer timer.Stop()
		idle = timer.C
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-lp.ns.Done():
			return &lostSession{err: sessionEnded(lp.cmd, lp.ns)}
		case <-idle:
			if lp.busy != nil && lp.busy() {
				timer.Reset(lp.idle)
				continue
			}
			return &codedError{code: ExTempFail, err: &idleError{cmd: lp.cmd, what: lp.what, idle: lp.idle}}
		case <-lp.queue.Ready():
			for _, e := range lp.queue.Take() {
				counted, done, err := lp.handle(e)
				if err != nil || done {
					return err
				}
				if timer != nil && counted {
					timer.Reset(lp.idle)
				}
			}
			if n := lp.queue.TakeDropped(); n > 0 {
				lp.env.errorf("%s: dropped %d event(s): they came faster than they could be handled", lp.cmd, n)
			}
		}
	}
}

// sessionEnded explains why the notification connection of a
// long-running command (listen, recvfile) ended.
func sessionEnded(cmd string, ns session.Server) error {
	err := ns.Err()
	switch {
	case errors.Is(err, proto.ErrSignedInElsewhere):
		return &codedError{code: ExNoPerm, err: fmt.Errorf("%s: %w", cmd, err), hint: plainHint(err)}
	case errors.Is(err, proto.ErrServerShutdown):
		return &codedError{code: ExTempFail, err: fmt.Errorf("%s: the server is shutting down", cmd), hint: "retry later"}
	case err == nil, errors.Is(err, proto.ErrClosed):
		return &codedError{code: ExTempFail, err: fmt.Errorf("%s: the server ended the session", cmd), hint: "retry later"}
	}
	return fmt.Errorf("%s: %w", cmd, err)
}
