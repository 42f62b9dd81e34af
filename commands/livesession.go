package commands

import (
	"context"
	"sync"

	"msn/proto"
)

// liveSession is the session of a long-running command that answers
// conversations (listen, recvfile): logged in with keep-alive, online
// with the saved presence, and an answerer for its rings. The command
// sets the answerer's handlers before its loop answers the first ring.
type liveSession struct {
	sess  *session
	ns    *proto.Notification
	convs *answerer
	// stop ends the conversations; release ends the login's context,
	// under which the contact list sync goes on in the background.
	stop, release context.CancelFunc
	closed        sync.Once
}

// stayOnline logs account in for a long-running command: keep-alive, the
// list sync in the background, each ring passed to ring on the reader
// goroutine (ring must not block), and the presence saved by msn status
// set, said on stderr as "DOING as ACCOUNT (STATUS)".
func (e *Env) stayOnline(ctx context.Context, account string, so sessionOptions, ring func(*proto.Ring), doing string) (*liveSession, error) {
	so.Handler = func(ev proto.Event) {
		if r, ok := ev.(*proto.Ring); ok { // presence and list events are not their business
			ring(r)
		}
	}
	so.KeepAlive, so.BackgroundSync = listenKeepAlive, true
	lctx, release := context.WithTimeout(ctx, e.opts.Timeout)
	s, err := e.login(lctx, account, so)
	if err != nil {
		release()
		return nil, err
	}
	done, stop := context.WithCancel(ctx)
	o := &liveSession{sess: s, ns: s.Result.NS, convs: newAnswerer(done, e, s.Result.NS), stop: stop, release: release}
	status := e.ownPresence(account, true)
	if err := o.ns.SetStatus(lctx, status); err != nil {
		o.close()
		return nil, err
	}
	e.Warnf("%s as %s (%s)", doing, account, status)
	if status == proto.StatusHidden {
		e.Warnf("while hidden nobody can invite you; msn status set online changes that")
	}
	return o, nil
}

// close leaves every conversation, waits for their goroutines, logs out
// and closes the session. Only the first call does anything.
func (o *liveSession) close() { o.closed.Do(o.end) }

// end is close's work.
func (o *liveSession) end() {
	o.stop()
	ctx, cancel := context.WithTimeout(context.Background(), goodbyeWait)
	defer cancel()
	_ = o.ns.Logout(ctx)
	o.convs.wait()
	_ = o.sess.Close()
	o.release()
}
