// Package switchboard speaks the switchboard side of the MSN Messenger
// protocol (MSNP8 and MSNP7): conversations with one or more contacts,
// their messages, typing notifications and application invitations
// (file transfer offers).
//
// A Switchboard is one conversation on its own connection to a
// switchboard server. Open asks a signed-in *proto.Notification for a
// switchboard and signs in to it; Answer joins the conversation a
// *proto.Ring invites to. Invite calls contacts in; Send, SendText, Go
// and GoText send messages, the last two collecting acknowledgements
// later; a Sender keeps a window of texts in flight; OfferFile,
// AcceptFile and CancelInvitation run file transfer invitations, whose
// transfer itself is package proto/msnftp's. Each method takes a context
// first; the context bounds both the write and the wait.
//
// The connection's reader goroutine is the engine's
// (proto/internal/engine), as for the notification connection. Lines the
// switchboard sends on its own become values of the sealed Event
// interface (Joined, Left, IncomingMessage, Typing, Invitation,
// Undelivered, Malformed, Unknown), passed to Options.Handler on the
// reader goroutine in wire order. Dialing, the debug transcript and the
// referral policy come from the notification side, a Notifier: the
// account's own connection, or a client of a shared session. A
// conversation is left with OUT however it ends on this side (Close,
// Leave, a failure the client detects). Error replies
// are *proto.ServerError; the errors of conversations and invitations
// are this package's (ErrNotDelivered, ErrNoAnswer, *CancelError, ...).
//
// # Map
//
// Files of this package, by part: switchboard.go (the Switchboard, its
// roster and the events of its lines), open.go (opening and answering),
// notifier.go (what they need of the notification side), preconnect.go
// (connecting to a predicted switchboard while the referral comes),
// events.go (the events), errors.go; sending: send.go, delivery.go,
// ackrule.go (whether an ACK found anyone to receive the message),
// sender.go, negative.go (naming the message of a NAK), text.go,
// textformat.go and split.go (plain-text messages and their format),
// typing.go; receiving: receive.go (a MSG as an event); invitations:
// invite.go (calling contacts in, CAL), invitation.go (the invitation
// format), invitewait.go (waiting for replies), fileoffer.go and
// fileaccept.go (file transfer offers, sent and received).
//
// # Where a new file goes
//
// Framing, TrIDs, writes and waiting for replies belong to the engine,
// and what the notification server does (including the referral to a
// switchboard) to package proto. A file that gives a switchboard verb or
// message type its meaning goes here, named for what it does, without a
// prefix; a new invitation application gets a file of its own beside
// fileoffer.go and fileaccept.go. A file holds one purpose: a new
// feature gets a new file rather than a section in an old one.
package switchboard
