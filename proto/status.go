package proto

import "strings"

// Status is a presence state as the protocol spells it.
type Status string

// The presence states.
const (
	StatusOnline  Status = "NLN"
	StatusBusy    Status = "BSY"
	StatusIdle    Status = "IDL"
	StatusBRB     Status = "BRB"
	StatusAway    Status = "AWY"
	StatusPhone   Status = "PHN"
	StatusLunch   Status = "LUN"
	StatusHidden  Status = "HDN"
	StatusOffline Status = "FLN"
)

var statusNames = map[Status]string{
	StatusOnline: "online", StatusBusy: "busy", StatusIdle: "idle", StatusBRB: "brb",
	StatusAway: "away", StatusPhone: "phone", StatusLunch: "lunch", StatusHidden: "hidden",
	StatusOffline: "offline",
}

// String returns the human name: "online", "busy", ….
func (s Status) String() string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return strings.ToLower(string(s))
}

// Valid reports whether s is a known state.
func (s Status) Valid() bool {
	_, ok := statusNames[s]
	return ok
}

// ParseStatus accepts a human name ("away") or a wire code ("AWY").
func ParseStatus(name string) (Status, bool) {
	if s := Status(strings.ToUpper(name)); s.Valid() {
		return s, true
	}
	for s, n := range statusNames {
		if strings.EqualFold(n, name) {
			return s, true
		}
	}
	return "", false
}
