package commands

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"time"

	"msn/commands/inbox"
	"msn/commands/progress"
	"msn/proto/msnftp"
	"msn/proto/switchboard"
)

// receivedFile is the outcome of one accepted offer, passed from the
// conversation's goroutine to recvfile's loop.
type receivedFile struct {
	from, name, conv string
	offered          string // the name as offered
	path             string // where it was saved; "" on failure
	size             int64
	took             time.Duration
	sha256           string
	err              error
}

// offer answers one file offer on its conversation's goroutine: it
// declines what recvfile must not take, and otherwise accepts, fetches
// and saves the file, then passes the outcome to the loop.
func (r *fileReceiver) offer(ctx context.Context, conv string, sb *switchboard.Switchboard, inv *switchboard.Invitation) {
	if reason := r.refusal(inv); reason != "" {
		if err := r.decline(ctx, sb, inv, switchboard.CancelReject); err == nil || errors.Is(err, switchboard.ErrBadInvitation) {
			r.queue.Push(listenEvent{warn: fmt.Sprintf("recvfile: declined %s from %s: %s", quoteDisplay(inv.File), escapeDisplay(inv.From), reason)})
		}
		return
	}
	r.active.Add(1)
	defer r.active.Add(-1)
	res := &receivedFile{from: inv.From, name: inv.FromName, conv: conv, offered: inv.File, size: inv.Size}
	start := time.Now()
	res.err = r.fetch(ctx, sb, inv, res)
	res.took = time.Since(start)
	if res.err != nil && ctx.Err() != nil {
		r.cut.Store(true) // recvfile is stopping; the interrupt says enough
		return
	}
	r.queue.Push(listenEvent{file: res})
}

// refusal says why an offer is declined, or "" to accept it.
func (r *fileReceiver) refusal(inv *switchboard.Invitation) string {
	if !fromWanted(r.opts.From, inv.From) {
		return "not a sender named by --from"
	}
	if err := inv.CheckFileOffer(); err != nil {
		return err.Error()
	}
	if inv.Size > r.opts.MaxSize {
		return fmt.Sprintf("%d bytes is more than --max-size %d", inv.Size, r.opts.MaxSize)
	}
	if free, err := inbox.FreeSpace(r.opts.Dir); err == nil && inv.Size > free {
		return fmt.Sprintf("%d bytes is more than the %d bytes free in --dir", inv.Size, free)
	}
	return ""
}

// fetch accepts the offer, receives the file into a temporary file and
// gives it its name once complete; it fills res.path and res.sha256.
func (r *fileReceiver) fetch(ctx context.Context, sb *switchboard.Switchboard, inv *switchboard.Invitation, res *receivedFile) error {
	f, err := inbox.Create(r.opts.Dir, inbox.SafeName(inv.File))
	if err != nil {
		_ = r.decline(ctx, sb, inv, switchboard.CancelFail)
		return withCode(ExCantCreat, fmt.Errorf("recvfile: %w", err))
	}
	defer f.Abort()
	actx, cancel := context.WithTimeout(ctx, r.env.opts.Timeout)
	src, err := sb.AcceptFile(actx, inv)
	cancel()
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			_ = r.decline(ctx, sb, inv, switchboard.CancelFTTimeout)
			return withCode(ExTempFail, fmt.Errorf("recvfile: %s did not send an address within --timeout %s", escapeDisplay(inv.From), r.env.opts.Timeout))
		}
		if errors.Is(err, switchboard.ErrBadInvitation) {
			_ = r.decline(ctx, sb, inv, switchboard.CancelFail)
		}
		return transferFailure("recvfile", inv.From, err)
	}
	conn, err := msnftp.Dial(ctx, src.Addrs)
	if err != nil {
		_ = r.decline(ctx, sb, inv, switchboard.CancelFTTimeout)
		return withCode(ExTempFail, fmt.Errorf("recvfile: cannot connect to %s: %w", escapeDisplay(inv.From), err))
	}
	var dst io.Writer = f
	var sum hash.Hash
	if r.opts.SHA256 {
		sum = sha256.New()
		dst = io.MultiWriter(f, sum)
	}
	var got progress.Counter
	if r.bar.CompareAndSwap(false, true) {
		stop := r.env.showProgress(inbox.SafeName(inv.File), inv.Size, &got)
		defer func() { stop(); r.bar.Store(false) }()
	}
	t := msnftp.Transfer{Handle: sb.Self(), Cookie: src.AuthCookie, Size: inv.Size}
	commit := func() error {
		path, err := f.Commit(r.opts.Overwrite)
		res.path = path
		return err
	}
	opts := r.opts.transfer(commit)
	opts.Progress = got.Add
	if _, err := msnftp.Receive(ctx, conn, t, dst, opts); err != nil && res.path == "" {
		// After a commit the file is complete and synced under its
		// name; only the sender's confirmation may have been lost.
		return transferFailure("recvfile", inv.From, err)
	}
	if sum != nil {
		res.sha256 = hex.EncodeToString(sum.Sum(nil))
	}
	return nil
}

// decline answers an offer with CANCEL and code, briefly.
func (r *fileReceiver) decline(ctx context.Context, sb *switchboard.Switchboard, inv *switchboard.Invitation, code switchboard.CancelCode) error {
	ctx, cancel := context.WithTimeout(ctx, r.env.opts.Timeout)
	defer cancel()
	return sb.CancelInvitation(ctx, inv, code)
}

// result counts and prints the outcome of one transfer: the path on
// stdout ("DIGEST  PATH" with --sha256), or one JSON object; a failure on
// stderr, in the words (and with the hint) msn uses for a command's
// error.
func (r *fileReceiver) result(f *receivedFile) error {
	r.handled++
	if f.err != nil {
		r.failed++
		if r.first == nil {
			r.first = f.err
		}
		Report(r.env.Stderr, f.err)
		return nil
	}
	if r.env.opts.JSON {
		obj := map[string]any{
			"type": "file-received", "time": timestamp(time.Now()), "account": r.account,
			"from": f.from, "name": f.name, "conversation": f.conv, "file": f.offered,
			"path": f.path, "size": f.size, "seconds": f.took.Seconds(),
		}
		if f.sha256 != "" {
			obj["sha256"] = f.sha256
		}
		return r.env.printJSON(obj)
	}
	var err error
	if f.sha256 != "" {
		_, err = fmt.Fprintf(r.env.Stdout, "%s  %s\n", f.sha256, escapeDisplay(f.path))
	} else {
		_, err = fmt.Fprintf(r.env.Stdout, "%s\n", escapeDisplay(f.path))
	}
	return err
}
