package passport

import (
	"context"
	"errors"
	"net"
)

// Sentinel errors returned by the package; test them with errors.Is.
var (
	// ErrAuthFailed reports wrong credentials: HTTP 401 or da-status=failed.
	ErrAuthFailed = errors.New("passport: authentication failed")
	// ErrMalformed reports a nexus or login reply that cannot be used.
	ErrMalformed = errors.New("passport: malformed reply")
	// ErrInsecureURL reports a login or redirect URL that is not https.
	ErrInsecureURL = errors.New("passport: insecure url")
	// ErrHostNotAllowed reports a login or redirect host outside the host policy.
	ErrHostNotAllowed = errors.New("passport: login host not allowed")
	// ErrTooManyRedirects reports more than MaxRedirects login redirects.
	ErrTooManyRedirects = errors.New("passport: too many redirects")
	// ErrBadChallenge reports a notification-server challenge that is unsafe to forward.
	ErrBadChallenge = errors.New("passport: bad challenge")
	// ErrBadTicket reports a ticket with characters or a length a ticket cannot have.
	ErrBadTicket = errors.New("passport: bad ticket")
	// ErrBadCredentials reports an e-mail address or a password that
	// cannot be sent: empty, longer than 1024 bytes, or holding a control
	// character (a line break or NUL in the password). Nothing was sent.
	ErrBadCredentials = errors.New("passport: unusable e-mail address or password")
)

// NetError reports a failure to talk to the nexus or the login server:
// dial, TLS, timeout or a broken connection. Op names the step ("nexus",
// "login", "redirect").
type NetError struct {
	Op  string
	Err error
}

// Error returns "passport: <op>: <cause>".
func (e *NetError) Error() string { return "passport: " + e.Op + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *NetError) Unwrap() error { return e.Err }

// Timeout reports whether the cause is a deadline or timeout.
func (e *NetError) Timeout() bool {
	if errors.Is(e.Err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(e.Err, &ne) && ne.Timeout()
}

// Dial reports whether the connection could not be established at all
// (name resolution or TCP connect), as opposed to failing later.
func (e *NetError) Dial() bool {
	var oe *net.OpError
	if errors.As(e.Err, &oe) && oe.Op == "dial" {
		return true
	}
	var de *net.DNSError
	return errors.As(e.Err, &de)
}
