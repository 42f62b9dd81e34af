package commands

import (
	"errors"
	"fmt"

	"msn/commands/session"
	"msn/commands/session/share"
	"msn/proto"
)

// codedError is an error with a fixed exit code and an optional hint for
// the user.
type codedError struct {
	code int
	err  error
	hint string
}

// Error returns the message of the wrapped error.
func (e *codedError) Error() string { return e.err.Error() }

// Unwrap returns the wrapped error.
func (e *codedError) Unwrap() error { return e.err }

// Hint returns advice for the user, or "".
func (e *codedError) Hint() string { return e.hint }

// withCode gives err the exit code code.
func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &codedError{code: code, err: err}
}

// withHint attaches a hint to err, keeping the exit code err maps to.
func withHint(err error, hint string) error {
	if err == nil {
		return nil
	}
	return &codedError{code: ExitCode(err), err: err, hint: hint}
}

// usageErrorf reports bad flags or arguments (exit 64).
func usageErrorf(format string, args ...any) error {
	return withCode(ExUsage, fmt.Errorf(format, args...))
}

// configErrorf reports a configuration problem (exit 78).
func configErrorf(format string, args ...any) error {
	return withCode(ExConfig, fmt.Errorf(format, args...))
}

// hinter is implemented by errors that carry advice for the user.
type hinter interface{ Hint() string }

// hintOf returns the first non-empty hint found in err's chain, else
// the flag that resolves one of proto's typed errors.
func hintOf(err error) string {
	if h := chainHint(err); h != "" {
		return h
	}
	var verr *proto.VersionError
	if errors.As(err, &verr) && verr.MSNP7Only {
		return "the server offers MSNP7 only; MSNP7 sends an MD5 hash of the password over plain TCP: add --protocol msnp7 to use it anyway"
	}
	if errors.As(err, new(*proto.PrivateAddressError)) {
		return "loopback and private addresses are refused unless --allow-private-servers is given"
	}
	switch {
	case errors.As(err, new(*share.VersionError)):
		return "restart the command that holds the session (see msn up --status) with this msn, or add --no-share, which signs it out"
	case errors.As(err, new(*session.HeldError)):
		return "stop that command first, or add --no-share (which ends its session)"
	case errors.Is(err, share.ErrHolderEnded):
		return "retry: the command runs in a session of its own when none is shared"
	}
	return plainHint(err)
}

// chainHint returns the first non-empty Hint in err's chain.
func chainHint(err error) string {
	for e := err; e != nil; {
		if h, ok := e.(hinter); ok && h.Hint() != "" {
			return h.Hint()
		}
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			e = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, inner := range u.Unwrap() {
				if h := chainHint(inner); h != "" {
					return h
				}
			}
			return ""
		default:
			e = nil
		}
	}
	return ""
}

var errNoAccount = errors.New("no account given and no default account")
