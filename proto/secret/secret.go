// Package secret holds values that must never be printed: passwords and
// Passport tickets.
package secret

import "fmt"

// redacted is what every formatting path prints instead of the value.
const redacted = "[REDACTED]"

// String is a secret text. Its String, GoString, Format and MarshalJSON
// methods print "[REDACTED]"; only Reveal returns the value.
type String struct {
	v string
}

// New wraps s.
func New(s string) String { return String{v: s} }

// Reveal returns the secret value. Call it only where the value goes on the
// wire or into the keyring.
func (s String) Reveal() string { return s.v }

// Empty reports whether no secret is held.
func (s String) Empty() bool { return s.v == "" }

// String returns "[REDACTED]".
func (s String) String() string { return redacted }

// GoString returns "[REDACTED]".
func (s String) GoString() string { return redacted }

// Format prints "[REDACTED]" for every verb.
func (s String) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// MarshalJSON encodes "[REDACTED]".
func (s String) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }
