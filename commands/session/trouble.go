package session

import (
	"errors"
	"time"
)

// TroubleKind says what an Answerer could not do, or did on its own.
type TroubleKind int

// The kinds of Trouble.
const (
	// TooManyConversations: a ring was ignored: MaxConversations were
	// open, and for RingWait every one of them was being answered or
	// handling an invitation (a file transfer may be under way), so none
	// could be left for it.
	TooManyConversations TroubleKind = iota
	// TooManyInvitations: an invitation was dropped, MaxPendingInvites wait.
	TooManyInvitations
	// CannotAnswer: answering a ring failed with Err.
	CannotAnswer
	// ConversationBroken: the connection of the conversation Conv failed
	// (Err): reset, cut in the middle of a message, stalled, unreadable,
	// or hung up (ErrHungUp) while others were still in it. Its slot is
	// free.
	ConversationBroken
	// LeftIdle: the Answerer left the conversation Conv, in which nothing
	// had come or gone for Quiet (at least the Answerer's Idle).
	LeftIdle
	// LeftForNew: every slot was taken when From rang, so the Answerer
	// left the conversation Conv, the one quiet the longest (for Quiet),
	// and answered From.
	LeftForNew
)

// ErrHungUp is the error of a conversation whose server ended it
// (a goodbye or a hang-up between two lines) while others were still in
// it: nobody left, yet the conversation is over.
var ErrHungUp = errors.New("session: the server ended the conversation while others were in it")

// Trouble is something an Answerer could not do, or a conversation it
// ended or lost; it goes on.
type Trouble struct {
	Kind TroubleKind
	From string // the peer who rang or invited
	Err  error  // why, for CannotAnswer and ConversationBroken
	// Conv is the session id of the conversation that ended
	// (ConversationBroken, LeftIdle, LeftForNew).
	Conv string
	// With names who was in that conversation besides the account, or
	// the peer who rang when nobody had joined yet.
	With []string
	// Quiet is how long nothing had come or gone in it (LeftIdle,
	// LeftForNew).
	Quiet time.Duration
}

// Ended reports whether t is about a conversation that ended: broken,
// or left by the Answerer to stay responsive.
func (t Trouble) Ended() bool {
	return t.Kind == ConversationBroken || t.Kind == LeftIdle || t.Kind == LeftForNew
}
