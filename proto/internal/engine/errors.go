package engine

import (
	"errors"
	"fmt"
	"io"
)

// Sentinel errors of the server's error-code classes, and of the
// connection itself. A *ServerError matches the sentinel of its code
// class with errors.Is. Package proto re-exports each of them.
var (
	// ErrAuthFailed means the server or Passport refused the credentials
	// or the ticket (911, 917, 928).
	ErrAuthFailed = errors.New("proto: authentication failed")
	// ErrUnknownUser means the server says the account does not exist
	// (205, 207, 208, 931, or 911 before any credential was sent).
	ErrUnknownUser = errors.New("proto: unknown user")
	// ErrOffline means the contact is offline, hidden or not accepting
	// messages (217).
	ErrOffline = errors.New("proto: contact is offline")
	// ErrNotAllowed means the request is not allowed now (913: hidden).
	ErrNotAllowed = errors.New("proto: not allowed while hidden")
	// ErrListState means a contact-list request conflicts with the list
	// (215, 216, 218, 219, 224, 225, 227, 228, 230, 231).
	ErrListState = errors.New("proto: contact list conflict")
	// ErrListFull means a list or the group table is full (210, 223).
	ErrListFull = errors.New("proto: list full")
	// ErrInvalidArgument means the server rejected an argument (201, 209,
	// 229, 715).
	ErrInvalidArgument = errors.New("proto: invalid argument")
	// ErrServerBusy means a temporary server failure: retry later.
	ErrServerBusy = errors.New("proto: server busy or unavailable")
	// ErrProtocol matches every *ProtocolError.
	ErrProtocol = errors.New("proto: protocol error")
	// ErrClosed means the connection is closed.
	ErrClosed = errors.New("proto: connection closed")
	// ErrLineTooLong is returned when a server line exceeds MaxLineLength.
	ErrLineTooLong = &ProtocolError{Msg: "line too long"}
)

// ErrAbandoned completes a keyed waiter that its owner stopped waiting for.
var ErrAbandoned = errors.New("proto: wait abandoned")

// ServerError is an error reply: a three-digit code in place of the
// command, followed by the TrID of the failed request.
type ServerError struct {
	Code int
	TrID uint32
}

// Error returns "proto: server error 911 (authentication failed)".
func (e *ServerError) Error() string {
	if text, ok := errorText[e.Code]; ok {
		return fmt.Sprintf("proto: server error %d (%s)", e.Code, text)
	}
	return fmt.Sprintf("proto: server error %d", e.Code)
}

// Is reports whether target is the sentinel of e's code class, or a
// *ServerError with the same code.
func (e *ServerError) Is(target error) bool {
	if t, ok := target.(*ServerError); ok {
		return t.Code == e.Code
	}
	return target != nil && codeClass(e.Code) == target
}

// Temporary reports whether retrying later may succeed.
func (e *ServerError) Temporary() bool { return codeClass(e.Code) == ErrServerBusy }

// ProtocolError describes a malformed, oversized or unexpected line from
// the server.
type ProtocolError struct {
	Msg string
}

// Error returns "proto: " followed by the description.
func (e *ProtocolError) Error() string { return "proto: " + e.Msg }

// Is makes every *ProtocolError match ErrProtocol.
func (e *ProtocolError) Is(target error) bool { return target == ErrProtocol }

// ProtocolErrorf returns a *ProtocolError with a formatted description.
func ProtocolErrorf(format string, args ...any) error {
	return &ProtocolError{Msg: fmt.Sprintf(format, args...)}
}

// ErrServerSilent means the server stopped answering: a keep-alive ping
// went unanswered, or a line stopped part way. It is a temporary failure
// of the network or the server, not a protocol error.
var ErrServerSilent = errors.New("proto: the server stopped answering")

// ErrCutOff is the error of a connection that ended in the middle of a
// line or payload: the network broke, as with a reset. It matches
// io.ErrUnexpectedEOF.
var ErrCutOff = fmt.Errorf("proto: connection closed in the middle of a command (%w)", io.ErrUnexpectedEOF)
