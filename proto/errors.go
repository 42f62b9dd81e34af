package proto

import (
	"errors"

	"msn/proto/internal/engine"
)

// Sentinel errors. A *ServerError matches the sentinel of its code class
// with errors.Is.
var (
	// ErrAuthFailed means the server or Passport refused the credentials
	// or the ticket (911, 917, 928).
	ErrAuthFailed = engine.ErrAuthFailed
	// ErrUnknownUser means the server says the account does not exist
	// (205, 207, 208, 931, or 911 before any credential was sent).
	ErrUnknownUser = engine.ErrUnknownUser
	// ErrOffline means the contact is offline, hidden or not accepting
	// messages (217).
	ErrOffline = engine.ErrOffline
	// ErrNotAllowed means the request is not allowed now (913: hidden).
	ErrNotAllowed = engine.ErrNotAllowed
	// ErrListState means a contact-list request conflicts with the list
	// (215, 216, 218, 219, 224, 225, 227, 228, 230, 231).
	ErrListState = engine.ErrListState
	// ErrListFull means a list or the group table is full (210, 223).
	ErrListFull = engine.ErrListFull
	// ErrInvalidArgument means the server rejected an argument (201, 209,
	// 229, 715).
	ErrInvalidArgument = engine.ErrInvalidArgument
	// ErrServerBusy means a temporary server failure: retry later.
	ErrServerBusy = engine.ErrServerBusy
	// ErrProtocol matches every *ProtocolError.
	ErrProtocol = engine.ErrProtocol
	// ErrClosed means the connection is closed.
	ErrClosed = engine.ErrClosed
	// ErrLineTooLong is returned when a server line exceeds MaxLineLength.
	ErrLineTooLong = engine.ErrLineTooLong
	// ErrServerSilent means the server stopped answering: a keep-alive
	// ping went unanswered within Options.KeepAliveWait, or a line stopped
	// part way for longer than the reader's stall bound. It is a
	// temporary failure, not a protocol error.
	ErrServerSilent = engine.ErrServerSilent
	// ErrCutOff means the connection ended in the middle of a line or
	// payload: the network broke, as with a reset. It matches
	// io.ErrUnexpectedEOF.
	ErrCutOff = engine.ErrCutOff

	// ErrUnsupportedVersion means the server does not speak the protocol
	// version that was offered.
	ErrUnsupportedVersion = errors.New("proto: server does not support the protocol version")
	// ErrSignedInElsewhere means the account signed in from another
	// place and the server ended this session (OUT OTH).
	ErrSignedInElsewhere = errors.New("proto: signed in elsewhere")
	// ErrServerShutdown means the server is going down (OUT SSD).
	ErrServerShutdown = errors.New("proto: server shutting down")
	// ErrNoPassword means a password was needed and no source was given.
	ErrNoPassword = errors.New("proto: no password available")
	// ErrBadAddress means the server referred the client to an address
	// that is malformed or not allowed.
	ErrBadAddress = errors.New("proto: bad server address")
)

// ServerError is an error reply: a three-digit code in place of the
// command, followed by the TrID of the failed request.
type ServerError = engine.ServerError

// ProtocolError describes a malformed, oversized or unexpected line from
// the server.
type ProtocolError = engine.ProtocolError

// Limits on what the server may send.
const (
	// MaxLineLength bounds one command line, CRLF included.
	MaxLineLength = engine.MaxLineLength
	// MaxPayload bounds one payload (MSG, NOT, IPG).
	MaxPayload = engine.MaxPayload
)

func protocolErrorf(format string, args ...any) error {
	return engine.ProtocolErrorf(format, args...)
}

// VersionError reports a failed version negotiation. It matches
// ErrUnsupportedVersion.
type VersionError struct {
	// Offered is the version the client asked for.
	Offered Protocol
	// MSNP7Only reports that the server offers MSNP7 and not MSNP8, so
	// asking for MSNP7 would work.
	MSNP7Only bool
}

// Error returns "proto: server does not support MSNP8".
func (e *VersionError) Error() string {
	return "proto: server does not support " + string(e.Offered)
}

// Is makes every *VersionError match ErrUnsupportedVersion.
func (e *VersionError) Is(target error) bool { return target == ErrUnsupportedVersion }

// PrivateAddressError reports a referral to a loopback, private or
// link-local address, which Options.AllowPrivate did not allow. It
// matches ErrBadAddress.
type PrivateAddressError struct {
	Host string
}

// Error returns "proto: bad server address: 10.0.0.1 is not a public address".
func (e *PrivateAddressError) Error() string {
	return ErrBadAddress.Error() + ": " + e.Host + " is not a public address"
}

// Is makes every *PrivateAddressError match ErrBadAddress.
func (e *PrivateAddressError) Is(target error) bool { return target == ErrBadAddress }

// MD5AccountError is an MSNP7 sign-in refused at its first step, before
// any credential was sent (911, or an unknown-user code): the server
// knows no such account, or the account has no MD5 password and can
// sign in with MSNP8 (Passport) only, which the server does not say
// apart (transcripts/06 Q6). It matches ErrUnknownUser, and not
// ErrAuthFailed: no password was refused.
type MD5AccountError struct {
	// Email is the account that tried to sign in.
	Email string
	// Code is the server's error code.
	Code int
}

// Error returns "bob@example.com: no such account, or it cannot sign in
// with MSNP7".
func (e *MD5AccountError) Error() string {
	return e.Email + ": no such account, or it cannot sign in with MSNP7"
}

// Is makes every *MD5AccountError match ErrUnknownUser.
func (e *MD5AccountError) Is(target error) bool { return target == ErrUnknownUser }
