package switchboard

import (
	"errors"
	"fmt"

	"msn/proto/internal/engine"
)

// Switchboard errors, matched with errors.Is.
var (
	// ErrNotDelivered means the switchboard could not deliver a message
	// (NAK): the other participants left, or the server refused it.
	// Every *NAKError matches it.
	ErrNotDelivered = errors.New("proto: message not delivered")
	// ErrUnconfirmed means no acknowledgement came within AckTimeout:
	// the message may or may not have been delivered.
	ErrUnconfirmed = errors.New("proto: message not acknowledged")
	// ErrNoAnswer means an invited contact did not join within
	// Options.JoinWait while the switchboard went on answering (see
	// Invite).
	ErrNoAnswer = errors.New("proto: contact did not join the conversation")
	// ErrNoParticipants means nobody else is in the conversation, so a
	// message would reach no one.
	ErrNoParticipants = errors.New("proto: nobody else is in the conversation")
	// ErrMessageTooLong means a message payload exceeds MaxMessageSize
	// (SendText splits long texts instead).
	ErrMessageTooLong = errors.New("proto: message too long")
)

// NAKError reports a message the switchboard answered with NAK.
type NAKError struct {
	// TrID is the transaction id of the refused MSG.
	TrID uint32
}

// Error returns "proto: message not delivered (NAK 5)".
func (e *NAKError) Error() string {
	return fmt.Sprintf("proto: message not delivered (NAK %d)", e.TrID)
}

// Is makes every *NAKError match ErrNotDelivered.
func (e *NAKError) Is(target error) bool { return target == ErrNotDelivered }

// UnreceivedError reports a message the switchboard acknowledged after
// everyone it was sent to had left: their BYE came before the ACK, so the
// server relayed the message to nobody (a server acknowledges a message
// even when nobody is there to receive it). It matches ErrNotDelivered.
type UnreceivedError struct {
	// TrID is the transaction id of the MSG.
	TrID uint32
	// Left are the participants the message was sent to, who all left.
	Left []string
}

// Error returns "proto: message not delivered: bob@example.com left
// before it was acknowledged".
func (e *UnreceivedError) Error() string {
	who := "everyone"
	switch len(e.Left) {
	case 0:
	case 1:
		who = engine.EscapeForError(e.Left[0])
	default:
		who = fmt.Sprintf("%s and %d others", engine.EscapeForError(e.Left[0]), len(e.Left)-1)
	}
	return fmt.Sprintf("proto: message not delivered: %s left before it was acknowledged", who)
}

// Is makes every *UnreceivedError match ErrNotDelivered.
func (e *UnreceivedError) Is(target error) bool { return target == ErrNotDelivered }

// Invitation errors, matched with errors.Is.
var (
	// ErrBadInvitation means an invitation's fields are missing or
	// malformed (cookie, size, address, port, auth cookie).
	ErrBadInvitation = errors.New("proto: malformed invitation")
	// ErrCancelled matches every *CancelError: the other side answered
	// or ended an invitation with CANCEL.
	ErrCancelled = errors.New("proto: invitation cancelled")
	// ErrDeclined matches a *CancelError whose code says the other side
	// declined (REJECT, REJECT_NOT_INSTALLED).
	ErrDeclined = errors.New("proto: invitation declined")
	// ErrPeerLeft means the other side of an invitation left the
	// conversation before answering it.
	ErrPeerLeft = errors.New("proto: the contact left the conversation")
)

// CancelCode is the Cancel-Code of a CANCEL.
type CancelCode string

// The cancel codes of the protocol.
const (
	// CancelReject: the user declined.
	CancelReject CancelCode = "REJECT"
	// CancelTimeout: the inviter gave up waiting for an answer, or
	// withdrew the offer.
	CancelTimeout CancelCode = "TIMEOUT"
	// CancelFTTimeout: the connection or the transfer itself failed or
	// timed out.
	CancelFTTimeout CancelCode = "FTTIMEOUT"
	// CancelOutbandCancel: the conversation the invitation was sent in is
	// closing.
	CancelOutbandCancel CancelCode = "OUTBANDCANCEL"
	// CancelNotInstalled: the application is not supported.
	CancelNotInstalled CancelCode = "REJECT_NOT_INSTALLED"
	// CancelFail: no common session protocol.
	CancelFail CancelCode = "FAIL"
)

// CancelError reports a CANCEL from the other side of an invitation.
type CancelError struct {
	// From is who sent the CANCEL.
	From string
	// Code is its Cancel-Code, as sent.
	Code CancelCode
}

// Error returns "proto: bob@example.com declined the invitation (REJECT)"
// or "... cancelled the invitation (FTTIMEOUT)".
func (e *CancelError) Error() string {
	what := "cancelled"
	if e.declined() {
		what = "declined"
	}
	return fmt.Sprintf("proto: %s %s the invitation (%s)", engine.EscapeForError(e.From), what, engine.EscapeForError(string(e.Code)))
}

// Is matches ErrCancelled, and ErrDeclined for the codes that decline.
func (e *CancelError) Is(target error) bool {
	return target == ErrCancelled || (target == ErrDeclined && e.declined())
}

// Timeout reports whether the code says the other side timed out
// (TIMEOUT, FTTIMEOUT).
func (e *CancelError) Timeout() bool {
	return e.Code == CancelTimeout || e.Code == CancelFTTimeout
}

// declined reports whether the code says the other side declined.
func (e *CancelError) declined() bool {
	return e.Code == CancelReject || e.Code == CancelNotInstalled
}
