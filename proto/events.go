package proto

// Event is something the notification server sent on its own: one of
// the types below or ListChange (listchange.go). Switchboards have
// events of their own (package proto/switchboard). Handlers switch on
// the concrete type.
type Event interface {
	isEvent()
}

// Presence reports a contact's status: at sign-in (Initial, from ILN)
// or when it changes (NLN).
type Presence struct {
	Email, Name string
	Status      Status
	ClientID    string
	Initial     bool
}

// Offline reports that a contact signed out or became hidden (FLN).
type Offline struct {
	Email string
}

// ReverseListChange reports that someone added you to their list (Added)
// or removed you (RL changes).
type ReverseListChange struct {
	Email, Name string
	Added       bool
	Version     int
}

// Ring is an invitation to a switchboard conversation (RNG).
type Ring struct {
	SessionID string
	Addr      string
	Cookie    string
	From      string
	FromName  string
}

// LoggedOut reports that the server ended the session (OUT). Reason is
// "OTH" (signed in elsewhere), "SSD" (server shutting down) or "".
type LoggedOut struct {
	Reason string
}

// ServerMessage is a message from the service itself on the notification
// connection ("Hotmail"): the profile after login, mail notices, system
// messages.
type ServerMessage struct {
	Message *Message
}

// Notice is an MSN Alerts (NOT) or pager (IPG) payload, passed through.
type Notice struct {
	Kind    string // "NOT" or "IPG"
	Payload []byte
}

// Malformed reports a server line that was skipped because it was not
// well formed; the connection goes on.
type Malformed struct {
	Err error
}

// Unknown is a well-formed line the package does not understand.
type Unknown struct {
	Command *Command
}

func (*Presence) isEvent()          {}
func (*Offline) isEvent()           {}
func (*ReverseListChange) isEvent() {}
func (*Ring) isEvent()              {}
func (*LoggedOut) isEvent()         {}
func (*ServerMessage) isEvent()     {}
func (*Notice) isEvent()            {}
func (*Malformed) isEvent()         {}
func (*Unknown) isEvent()           {}
