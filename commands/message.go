package commands

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io/fs"
	"net"
	"strings"

	"msn/commands/session/share"
	"msn/keyring"
	"msn/proto"
	"msn/proto/passport"
)

// plainWord replaces the text of the errors match finds with say, or
// with what sayFor makes of them when say is "".
type plainWord struct {
	match func(error) (string, bool)
	say   string
}

// internalPrefixes are the package prefixes Go errors carry for their
// programmers ("proto: "), which mean nothing to a user; message drops
// them.
var internalPrefixes = []string{
	"proto: ", "passport: ", "keyring: ", "switchboard: ", "msnftp: ",
	"share: ", "session: ", "inbox: ", "tls: ", "x509: ",
}

// plainWords are the sentences msn says for errors whose own text is
// written for programmers: the error's text is replaced by them where
// it appears in the message.
var plainWords = []plainWord{
	{both(proto.ErrAuthFailed, passport.ErrAuthFailed), "Passport refused the password"},
	{is(proto.ErrAuthFailed), "the server refused the password"},
	{is(passport.ErrAuthFailed), "Passport refused the password"},
	{is(proto.ErrSignedInElsewhere), "the account signed in elsewhere, which ended this session"},
	{is(context.DeadlineExceeded), "timed out"},
	{is(keyring.ErrNoStateDir), "no directory for msn's state: set HOME or XDG_STATE_HOME"},
	{netOpError, ""},
	{pathError, ""},
	{as[x509.UnknownAuthorityError](), "the server's certificate is signed by an unknown authority"},
	{as[x509.HostnameError](), "the server's certificate is for another host name"},
}

// message returns the one-line sentence msn prints for err: the
// programmers' wording of known errors replaced with plain words, and
// package prefixes dropped.
func message(err error) string {
	msg := err.Error()
	for _, w := range plainWords {
		if text, ok := w.match(err); ok {
			msg = strings.Replace(msg, text, w.sayFor(err), 1)
		}
	}
	for _, p := range internalPrefixes {
		msg = strings.ReplaceAll(msg, ": "+p, ": ")
		msg = strings.TrimPrefix(msg, p)
	}
	return oneLine(msg)
}

// sayFor returns the words for err: the fixed ones, or for the network
// and file errors, what they say without the operation and addresses
// the message already names.
func (w plainWord) sayFor(err error) string {
	if w.say != "" {
		return w.say
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		if oe.Timeout() {
			return "timed out"
		}
		return innermost(oe.Err).Error()
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Path + ": " + innermost(pe.Err).Error()
	}
	return ""
}

// innermost returns the last error in err's chain.
func innermost(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// netOpError matches a failed network operation ("dial tcp ADDR:
// connect: connection refused"), whose text names what the message
// already does.
func netOpError(err error) (string, bool) {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Error(), true
	}
	return "", false
}

// pathError matches a failed file operation ("stat FILE: no such file
// or directory").
func pathError(err error) (string, bool) {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Error(), true
	}
	return "", false
}

// plainHint returns the advice for the errors every command can meet,
// or "".
func plainHint(err error) string {
	switch {
	case errors.Is(err, proto.ErrAuthFailed), errors.Is(err, passport.ErrAuthFailed):
		return "check the password; msn login --save-password ACCOUNT replaces a saved one, and msn logout ACCOUNT forgets it"
	case errors.Is(err, proto.ErrSignedInElsewhere):
		return "another client, or an msn command run with --no-share, signed in as the same account; " +
			"msn commands share the session of a running msn up, listen, recvfile or status --watch instead of ending it"
	case errors.As(err, new(*tls.CertificateVerificationError)), errors.As(err, new(x509.UnknownAuthorityError)):
		return "if the server uses its own certificate authority, add --ca-file FILE with that authority's PEM certificate"
	case errors.Is(err, share.ErrForeignSocket):
		return "the shared-session socket belongs to another user; add --no-share"
	}
	return ""
}

// is matches errors wrapping target, whose text is target's.
func is(target error) func(error) (string, bool) {
	return func(err error) (string, bool) { return target.Error(), errors.Is(err, target) }
}

// both matches errors wrapping outer, which wraps inner in its text as
// "outer: inner".
func both(outer, inner error) func(error) (string, bool) {
	return func(err error) (string, bool) {
		return outer.Error() + ": " + inner.Error(), errors.Is(err, outer) && errors.Is(err, inner)
	}
}

// as matches errors wrapping an error of type T, whose text is its own.
func as[T error]() func(error) (string, bool) {
	return func(err error) (string, bool) {
		var t T
		if errors.As(err, &t) {
			return t.Error(), true
		}
		return "", false
	}
}
