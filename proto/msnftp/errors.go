package msnftp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
)

// Sentinel errors. Every error this package returns carries the prefix
// "msnftp:" and matches at most a few of these with errors.Is.
var (
	// ErrProtocol means the peer broke the protocol: a bad VER or FIL, a
	// line longer than 4 KiB, a command out of order, or a block past the
	// announced size.
	ErrProtocol = errors.New("msnftp: protocol error")
	// ErrAuth means the handle or the AuthCookie was wrong. The sender
	// returns it after MaxAttempts bad connections, or when its context
	// ends after at least one; the receiver when the sender closed the
	// connection right after USR.
	ErrAuth = errors.New("msnftp: authentication failed")
	// ErrCancelled means the peer cancelled the transfer: a cancel block
	// from the sender, or CCL from the receiver.
	ErrCancelled = errors.New("msnftp: transfer cancelled by the peer")
	// ErrBroken means the connection ended or failed during the
	// handshake, before the data phase: closed (at a line end or in the
	// middle of a line), cut or reset. Nothing was transferred; the
	// transfer may be tried again. Once the data phase has begun, the
	// same failures are ErrIncomplete, or ErrUnconfirmed after the last
	// byte.
	ErrBroken = errors.New("msnftp: connection lost before the transfer began")
	// ErrIncomplete means the connection ended before every byte
	// arrived; such errors are *IncompleteError.
	ErrIncomplete = errors.New("msnftp: transfer incomplete")
	// ErrUnconfirmed means the sender sent every byte but the receiver
	// never said BYE: it closed or broke the connection, or BYE did not
	// come in time (that error also matches ErrTimeout).
	ErrUnconfirmed = errors.New("msnftp: transfer not confirmed by the receiver")
	// ErrTimeout means an idle deadline, the handshake bound or the
	// throughput floor was hit, or no connection came in time.
	ErrTimeout = errors.New("msnftp: timed out")
	// ErrOverrun means the sender sent a block that runs past the
	// announced size; it also matches ErrProtocol. Nothing past the size
	// is written.
	ErrOverrun = errors.New("msnftp: sender sent more than the announced size")
	// ErrSourceShort means the sender's source ended before the
	// announced size (the file shrank); the sender cancelled the transfer.
	ErrSourceShort = errors.New("msnftp: source shorter than the announced size")
)

// BYE codes the receiver sends.
const (
	// ByeOutOfSpace is the BYE code of a receiver out of disk space.
	ByeOutOfSpace = 2147942405
	// ByeCancelled is the BYE code of a receiver that cancelled.
	ByeCancelled = 2164261682
	// ByeTimedOut is the BYE code of a receiver that timed out.
	ByeTimedOut = 2164261694
)

// byeText names the known BYE codes.
var byeText = map[uint32]string{
	ByeSuccess:    "received successfully",
	16777987:      "sent successfully",
	ByeOutOfSpace: "receiver out of disk space",
	ByeCancelled:  "receiver cancelled",
	ByeTimedOut:   "receiver timed out",
}

// IncompleteError is the error of a transfer whose connection ended
// before all bytes arrived. It matches ErrIncomplete.
type IncompleteError struct {
	Got  int64 // bytes that arrived (receiver: written to the destination)
	Want int64 // the announced size
}

// Error returns "msnftp: transfer incomplete (5 of 10 bytes)".
func (e *IncompleteError) Error() string {
	return fmt.Sprintf("msnftp: transfer incomplete (%d of %d bytes)", e.Got, e.Want)
}

// Is reports whether target is ErrIncomplete.
func (e *IncompleteError) Is(target error) bool { return target == ErrIncomplete }

// ByeError is the error of a receiver that said BYE with another code
// than ByeSuccess.
type ByeError struct {
	Code uint32
}

// Error returns the code and, when known, its meaning.
func (e *ByeError) Error() string {
	if text, ok := byeText[e.Code]; ok && e.Code != ByeSuccess {
		return fmt.Sprintf("msnftp: receiver said BYE %d (%s)", e.Code, text)
	}
	return fmt.Sprintf("msnftp: receiver said BYE %d", e.Code)
}

// Is reports whether target is a *ByeError with the same code, or the
// sentinel that the code stands for: ErrCancelled for ByeCancelled,
// ErrTimeout for ByeTimedOut.
func (e *ByeError) Is(target error) bool {
	if t, ok := target.(*ByeError); ok {
		return t.Code == e.Code
	}
	switch e.Code {
	case ByeCancelled:
		return target == ErrCancelled
	case ByeTimedOut:
		return target == ErrTimeout
	}
	return false
}

// kindError is an error of one sentinel's class with details. Its message
// has no package prefix: wrap adds exactly one.
type kindError struct {
	kind  error
	msg   string
	cause error
}

func (e *kindError) Error() string        { return e.msg }
func (e *kindError) Is(target error) bool { return target == e.kind }
func (e *kindError) Unwrap() error        { return e.cause }

// failf returns an error of kind's class: "protocol error: <details>".
func failf(kind error, format string, args ...any) error {
	return kindf(kind, format, args...)
}

// kindf is failf with the concrete type, for adding a cause.
func kindf(kind error, format string, args ...any) *kindError {
	return &kindError{kind: kind, msg: kindText(kind) + ": " + fmt.Sprintf(format, args...)}
}

// kindText is a sentinel's message without the package prefix.
func kindText(kind error) string { return strings.TrimPrefix(kind.Error(), "msnftp: ") }

// errAborted halts a connection that the package itself gave up on (a
// handshake that lost to another connection).
var errAborted = errors.New("connection aborted")

// errInterrupted is the error of a write that the peer reader stopped
// because the receiver ended the transfer.
var errInterrupted = errors.New("interrupted by the peer")

// ctxError turns a context's error into this package's form: a deadline
// also matches ErrTimeout, a cancellation stays context.Canceled.
func ctxError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return &kindError{kind: ErrTimeout, msg: "timed out: " + err.Error(), cause: err}
	}
	return err
}

// wrap puts the package prefix and the operation in front of err. The
// package's own error types already carry the prefix and stay as they are.
func wrap(op string, err error) error {
	switch err.(type) {
	case *IncompleteError, *ByeError:
		return err
	}
	return fmt.Errorf("msnftp: %s: %w", op, err)
}

// maxQuote bounds how much peer-controlled text an error message repeats.
const maxQuote = 40

// quote returns s for an error message: truncated, quoted, with every
// control or non-ASCII character escaped.
func quote(s string) string {
	if len(s) > maxQuote {
		return strconv.QuoteToASCII(s[:maxQuote]) + "..."
	}
	return strconv.QuoteToASCII(s)
}

// overrunError is a block past the announced size: a protocol error of
// its own kind.
type overrunError struct{ *kindError }

// Is matches ErrOverrun and ErrProtocol.
func (e overrunError) Is(target error) bool { return target == ErrOverrun || target == ErrProtocol }

// overrunf returns an error matching ErrOverrun and ErrProtocol.
func overrunf(format string, args ...any) error {
	return overrunError{kindf(ErrProtocol, format, args...)}
}

// lateByeError is a BYE that did not come in time: the transfer is not
// confirmed, and the cause is a stall.
type lateByeError struct{ *kindError }

// Is matches ErrUnconfirmed and ErrTimeout.
func (e lateByeError) Is(target error) bool { return target == ErrUnconfirmed || target == ErrTimeout }

// lost turns the error of a handshake read or write into an ErrBroken
// error when the network failed: the peer closed the connection (io.EOF,
// or io.ErrUnexpectedEOF in the middle of a line) or the connection
// failed (a *net.OpError, such as a reset). Timeouts, halts and protocol
// errors pass unchanged.
func (g *guard) lost(err error, peer string) error {
	var oe *net.OpError
	switch {
	case g.haltCause() != nil:
		return err
	case errors.Is(err, io.EOF):
		return failf(ErrBroken, "%s closed the connection", peer)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return failf(ErrBroken, "%s closed the connection in the middle of a line", peer)
	case errors.As(err, &oe):
		e := kindf(ErrBroken, "%v", err)
		e.cause = err
		return e
	}
	return err
}
