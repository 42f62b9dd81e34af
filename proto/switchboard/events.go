package switchboard

import "msn/proto"

// Event is something a switchboard sent on its own: one of the types
// below. Handlers switch on the concrete type.
type Event interface {
	isEvent()
}

// Joined reports a participant in a switchboard conversation: one who was
// there when the conversation was answered (Initial, from IRO) or one who
// joined later (JOI). The account's own arrival is not reported.
type Joined struct {
	Email, Name string
	Initial     bool
}

// Left reports that a participant left the conversation (BYE). Idle is
// set when the server dropped them for idleness.
type Left struct {
	Email string
	Idle  bool
}

// IncomingMessage is a message from a participant. Typing notifications,
// invitations and client capability messages have events of their own
// (or none); every other content type, known or not, arrives here.
type IncomingMessage struct {
	// From and FromName are the sender as the switchboard names them.
	From, FromName string
	// ContentType is the media type without parameters, lower case;
	// "" when the message has no Content-Type header.
	ContentType string
	// Text is the body of a text/plain message decoded to UTF-8 (from
	// Latin-1 when no charset is given), with invalid bytes replaced by
	// U+FFFD and line ends as sent. It is "" for other content types.
	Text string
	// Format is the parsed X-MMS-IM-Format header, nil when absent.
	Format *TextFormat
	// Message holds the headers and the raw body bytes.
	Message *proto.Message
}

// Typing reports that a participant is typing (text/x-msmsgscontrol).
// Email is the sender named by the switchboard, not the TypingUser
// header, which the sender writes itself.
type Typing struct {
	Email string
	Name  string // the friendly name on the message's MSG line
}

// Invitation is an application invitation or a reply to one
// (text/x-msmsgsinvite): a file transfer offer, its acceptance or its
// cancellation. Values are as sent; checking them is the caller's job.
type Invitation struct {
	From, FromName string
	// Command is Invitation-Command: "INVITE", "ACCEPT" or "CANCEL".
	Command string
	// Cookie is Invitation-Cookie, which every reply echoes.
	Cookie string
	// AppName and AppGUID are Application-Name and Application-GUID.
	AppName, AppGUID string
	// File is Application-File, unsanitised.
	File string
	// Size is Application-FileSize, or -1 when absent or not a plain
	// decimal number.
	Size int64
	// Fields holds every field of the body; the first of duplicates wins.
	// Look fields up with Field, which ignores case.
	Fields map[string]string
}

// Undelivered reports that a message sent with AckNegative could not be
// delivered (NAK).
type Undelivered struct {
	TrID    uint32
	Message *proto.Message
}

// Malformed reports a switchboard line that was skipped because it was
// not well formed; the conversation goes on.
type Malformed struct {
	Err error
}

// Unknown is a well-formed switchboard line the package does not
// understand.
type Unknown struct {
	Command *proto.Command
}

func (*Joined) isEvent()          {}
func (*Left) isEvent()            {}
func (*IncomingMessage) isEvent() {}
func (*Typing) isEvent()          {}
func (*Invitation) isEvent()      {}
func (*Undelivered) isEvent()     {}
func (*Malformed) isEvent()       {}
func (*Unknown) isEvent()         {}
