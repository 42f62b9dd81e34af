package commands

import (
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"

	"msn/commands/progress"
	"msn/proto/msnftp"
	"msn/proto/switchboard"
)

// showProgress starts a progress line for a transfer of total bytes on
// stderr when stderr is a terminal and neither --quiet nor --json was
// given, and returns the function that ends it. Otherwise it draws
// nothing.
func (e *Env) showProgress(label string, total int64, c *progress.Counter) (stop func()) {
	if e.opts.Quiet || e.opts.JSON || !isTerminal(e.Stderr) {
		return func() {}
	}
	bar := progress.New(e.Stderr, escapeDisplay(label), total, c)
	if f, ok := e.Stderr.(*os.File); ok {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			bar.Width = w
		}
	}
	bar.Start()
	return bar.Stop
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// transferError is a failed file transfer, said in plain words, with the
// exit code of the README's table: 69 declined or absent, 74 broken off
// once the data phase began (cut short, cancelled, not confirmed), 75
// timed out or broken before the data phase, 76 protocol error, 77 wrong
// auth cookie.
type transferError struct {
	what string // "sendfile: bob@example.com declined notes.txt"
	code int
	hint string
	err  error
}

// Error returns the plain sentence.
func (e *transferError) Error() string { return e.what }

// Unwrap returns the underlying error.
func (e *transferError) Unwrap() error { return e.err }

// Hint returns advice, or "".
func (e *transferError) Hint() string { return e.hint }

// transferFailure explains err, the failure of a transfer with peer as
// the other side, in the words of cmd ("sendfile" or "recvfile"). An
// interrupt, and errors of the session itself, are returned as they are.
func transferFailure(cmd, peer string, err error) error {
	var ce *switchboard.CancelError
	var bye *msnftp.ByeError
	var inc *msnftp.IncompleteError
	who := escapeDisplay(peer)
	te := &transferError{err: err, code: ExIOErr}
	switch {
	case errors.Is(err, switchboard.ErrDeclined):
		te.what, te.code = fmt.Sprintf("%s: %s declined the file", cmd, who), ExUnavailable
	case errors.As(err, &ce) && ce.Timeout():
		te.what, te.code = fmt.Sprintf("%s: %s gave up: the transfer could not start in time (%s)", cmd, who, escapeDisplay(string(ce.Code))), ExTempFail
		if cmd == "sendfile" {
			te.hint = "they could not connect; use --public-address or --listen with an address they can reach"
		}
	case errors.As(err, &ce):
		te.what = fmt.Sprintf("%s: %s cancelled the transfer (%s)", cmd, who, escapeDisplay(string(ce.Code)))
	case errors.Is(err, switchboard.ErrPeerLeft), errors.Is(err, switchboard.ErrNoParticipants):
		te.what, te.code = fmt.Sprintf("%s: %s left the conversation", cmd, who), ExUnavailable
	case errors.Is(err, switchboard.ErrNotDelivered):
		te.what, te.code = fmt.Sprintf("%s: the server could not deliver the offer to %s", cmd, who), ExUnavailable
	case errors.Is(err, msnftp.ErrAuth):
		te.what, te.code = fmt.Sprintf("%s: the transfer with %s failed: wrong handle or auth cookie", cmd, who), ExNoPerm
	case errors.Is(err, msnftp.ErrSourceShort):
		te.what = fmt.Sprintf("%s: the file got shorter while it was sent; the transfer was cancelled", cmd)
	case errors.As(err, &bye):
		te.what = fmt.Sprintf("%s: %s reported a failure: %v", cmd, who, bye)
	case errors.Is(err, msnftp.ErrCancelled):
		te.what = fmt.Sprintf("%s: %s cancelled the transfer", cmd, who)
	case errors.As(err, &inc):
		te.what = fmt.Sprintf("%s: the connection with %s broke off after %d of %d bytes", cmd, who, inc.Got, inc.Want)
	case errors.Is(err, msnftp.ErrOverrun):
		te.what = fmt.Sprintf("%s: %s sent more than the announced size", cmd, who)
	case errors.Is(err, msnftp.ErrUnconfirmed) && errors.Is(err, msnftp.ErrTimeout):
		te.what, te.code = fmt.Sprintf("%s: every byte was sent, but %s did not confirm the file in time", cmd, who), ExTempFail
	case errors.Is(err, msnftp.ErrUnconfirmed):
		te.what = fmt.Sprintf("%s: every byte was sent, but %s did not confirm the file", cmd, who)
	case errors.Is(err, msnftp.ErrTimeout):
		te.what, te.code = fmt.Sprintf("%s: the transfer with %s timed out", cmd, who), ExTempFail
	case errors.Is(err, msnftp.ErrBroken):
		te.what, te.code = fmt.Sprintf("%s: the connection with %s broke before the transfer began", cmd, who), ExTempFail
	case errors.Is(err, msnftp.ErrProtocol), errors.Is(err, switchboard.ErrBadInvitation):
		te.what, te.code = fmt.Sprintf("%s: %s broke the file transfer protocol: %v", cmd, who, err), ExProtocol
	default:
		return err
	}
	return te
}
