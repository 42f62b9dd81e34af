package share

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"

	"msn/proto"
)

// Errors of this package.
var (
	// ErrNoHolder means no process holds the account's session: there
	// is no socket, or there was a stale one, now removed.
	ErrNoHolder = errors.New("share: no shared session")
	// ErrHeld means another process started holding the session first.
	ErrHeld = errors.New("share: another process holds the session")
	// ErrForeignSocket means the socket or its directory belongs to
	// another user; it is not used.
	ErrForeignSocket = errors.New("share: the session socket belongs to another user")
	// ErrUnsupported means this system cannot check a socket peer's
	// user id, so sessions are not shared.
	ErrUnsupported = errors.New("share: cannot check socket peers on this system")
	// ErrHolderEnded means the holder went away without saying why.
	ErrHolderEnded = errors.New("the shared session ended")
)

// VersionError reports a holder that speaks another version of the
// socket protocol.
type VersionError struct {
	Holder, Client int
}

// Error names both versions.
func (e *VersionError) Error() string {
	return fmt.Sprintf("the shared session is held by an msn that speaks socket protocol %d; this one speaks %d", e.Holder, e.Client)
}

// The kinds of error that cross the socket. The kind keeps the error's
// class, so that the client's exit code is the one the holder's error
// would have given; the text keeps its words.
const (
	kindServer    = "server"    // a *proto.ServerError; Code is set
	kindTimeout   = "timeout"   // a deadline passed
	kindCanceled  = "canceled"  // the holder was interrupted
	kindProtocol  = "protocol"  // a malformed or unexpected reply
	kindElsewhere = "elsewhere" // signed in elsewhere (OUT OTH)
	kindShutdown  = "shutdown"  // the server is going down (OUT SSD)
	kindInvalid   = "invalid"   // an argument the server or proto refused
	kindClosed    = "closed"    // the connection to the server broke
	kindVersion   = "version"   // the client speaks another version
	kindEnded     = "ended"     // the holder ended its session
	kindOther     = "other"
)

// wireErr is an error on the socket.
type wireErr struct {
	Kind string `json:"kind"`
	Code int    `json:"code,omitempty"`
	Text string `json:"text"`
}

// encodeError returns err as it crosses the socket; nil for nil.
func encodeError(err error) *wireErr {
	if err == nil {
		return nil
	}
	w := &wireErr{Kind: kindOther, Text: err.Error()}
	var se *proto.ServerError
	var ne net.Error
	switch {
	case errors.As(err, &se):
		w.Kind, w.Code = kindServer, se.Code
	case errors.Is(err, ErrHolderEnded):
		w.Kind = kindEnded
	case errors.Is(err, proto.ErrSignedInElsewhere):
		w.Kind = kindElsewhere
	case errors.Is(err, proto.ErrServerShutdown):
		w.Kind = kindShutdown
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		w.Kind = kindTimeout
	case errors.Is(err, context.Canceled):
		w.Kind = kindCanceled
	case errors.Is(err, proto.ErrProtocol), errors.Is(err, proto.ErrBadAddress):
		w.Kind = kindProtocol
	case errors.Is(err, proto.ErrInvalidArgument):
		w.Kind = kindInvalid
	case errors.Is(err, proto.ErrClosed), errors.As(err, &ne):
		w.Kind = kindClosed
	}
	return w
}

// remoteError is an error that came across the socket: its text as the
// holder said it, and the error of its class underneath.
type remoteError struct {
	text string
	err  error
}

// Error returns the holder's words.
func (e *remoteError) Error() string { return e.text }

// Unwrap returns the error of its class.
func (e *remoteError) Unwrap() error { return e.err }

// decodeError returns the error w stands for; nil for nil.
func decodeError(w *wireErr) error {
	if w == nil {
		return nil
	}
	var class error
	switch w.Kind {
	case kindServer:
		class = &proto.ServerError{Code: w.Code}
	case kindTimeout:
		class = context.DeadlineExceeded
	case kindCanceled, kindEnded:
		class = ErrHolderEnded
	case kindProtocol:
		class = proto.ErrProtocol
	case kindElsewhere:
		class = proto.ErrSignedInElsewhere
	case kindShutdown:
		class = proto.ErrServerShutdown
	case kindInvalid:
		class = proto.ErrInvalidArgument
	case kindClosed:
		class = proto.ErrClosed
	case kindVersion:
		return &VersionError{Holder: w.Code, Client: Version}
	default:
		return errors.New(w.Text)
	}
	return &remoteError{text: w.Text, err: class}
}
