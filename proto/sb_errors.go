package proto

import (
	"errors"
	"fmt"
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
	// JoinTimeout.
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
