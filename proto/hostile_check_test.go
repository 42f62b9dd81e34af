package proto

import (
	"strings"
	"testing"
)

// The invariants of the hostile-peer suites (hostile-inputs.md §2.0)
// that every row of the notification-server tables is checked against,
// beyond the row's own expectation.

// hostileSecrets are the credentials the rows put on the wire or in the
// configuration; none may reach an error, an event's error or the debug
// transcript (S).
var hostileSecrets = []string{
	"hunter2-secret",                   // the password
	"0fake1ticket2value3",              // the Passport ticket
	"2CACCBCCADMoV8ORoz64BVwmjtksIg",   // MSPAuth of the profile message
	"t=SEKRIT1ticket&p=SEKRIT2profile", // a ticket in t=…&p=… form
}

// checkNoSecret fails the test when text holds one of hostileSecrets.
func checkNoSecret(t *testing.T, where, text string) {
	t.Helper()
	for _, s := range hostileSecrets {
		if strings.Contains(text, s) {
			t.Errorf("(S) %s holds the secret %q:\n%s", where, s, text)
		}
	}
}

// checkPrintable fails the test when text holds a character that must
// be escaped before it is shown (D): C0 and C1 controls, DEL, bidi
// controls and zero-width characters. Newlines are allowed where
// multiline is set (a transcript).
func checkPrintable(t *testing.T, where, text string, multiline bool) {
	t.Helper()
	for _, r := range text {
		if r == '\n' && multiline {
			continue
		}
		if unsafeDisplayRune(r) {
			t.Errorf("(D) %s holds the raw character %U: %q", where, r, text)
			return
		}
	}
}

// unsafeDisplayRune reports the characters that display escaping must
// catch.
func unsafeDisplayRune(r rune) bool {
	switch {
	case r < ' ', r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0xfeff:
		return true
	}
	return false
}
