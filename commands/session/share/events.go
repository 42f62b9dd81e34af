package share

import "msn/proto"

// The kinds of event that cross the socket.
const (
	eventPresence = "presence"
	eventOffline  = "offline"
	eventReverse  = "reverse"
	eventList     = "list"
	eventRing     = "ring"
)

// event is a notification event on the socket.
type event struct {
	Kind     string            `json:"kind"`
	Email    string            `json:"email,omitempty"`
	Name     string            `json:"name,omitempty"`
	Status   proto.Status      `json:"status,omitempty"`
	ClientID string            `json:"client_id,omitempty"`
	Initial  bool              `json:"initial,omitempty"`
	Added    bool              `json:"added,omitempty"`
	Version  int               `json:"version,omitempty"`
	Change   *proto.ListChange `json:"change,omitempty"`
	Ring     *proto.Ring       `json:"ring,omitempty"`
}

// encodeEvent returns ev as it crosses the socket, or nil for the
// events clients are not told about (the holder handles those).
func encodeEvent(ev proto.Event) *event {
	switch ev := ev.(type) {
	case *proto.Presence:
		return &event{Kind: eventPresence, Email: ev.Email, Name: ev.Name, Status: ev.Status, ClientID: ev.ClientID, Initial: ev.Initial}
	case *proto.Offline:
		return &event{Kind: eventOffline, Email: ev.Email}
	case *proto.ReverseListChange:
		return &event{Kind: eventReverse, Email: ev.Email, Name: ev.Name, Added: ev.Added, Version: ev.Version}
	case *proto.ListChange:
		return &event{Kind: eventList, Change: ev}
	case *proto.Ring:
		return &event{Kind: eventRing, Ring: ev}
	}
	return nil
}

// decode returns the event e stands for, or nil for one this version
// does not know.
func (e *event) decode() proto.Event {
	switch e.Kind {
	case eventPresence:
		return &proto.Presence{Email: e.Email, Name: e.Name, Status: e.Status, ClientID: e.ClientID, Initial: e.Initial}
	case eventOffline:
		return &proto.Offline{Email: e.Email}
	case eventReverse:
		return &proto.ReverseListChange{Email: e.Email, Name: e.Name, Added: e.Added, Version: e.Version}
	case eventList:
		if e.Change != nil {
			return e.Change
		}
	case eventRing:
		if e.Ring != nil {
			return e.Ring
		}
	}
	return nil
}
