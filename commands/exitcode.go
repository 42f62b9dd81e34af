package commands

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"msn/commands/session"
	"msn/commands/session/share"
	"msn/keyring"
	"msn/proto"
	"msn/proto/passport"
	"msn/proto/switchboard"
)

// Exit codes, from sysexits(3).
const (
	ExOK          = 0
	ExFailure     = 1
	ExUsage       = 64
	ExDataErr     = 65
	ExNoInput     = 66
	ExNoUser      = 67
	ExNoHost      = 68
	ExUnavailable = 69
	ExCantCreat   = 73
	ExIOErr       = 74
	ExTempFail    = 75
	ExProtocol    = 76
	ExNoPerm      = 77
	ExConfig      = 78
	ExInterrupted = 130
)

// ExitStatus lists every exit code with its meaning, for the man page and
// the README.
var ExitStatus = []struct {
	Code    int
	Meaning string
}{
	{ExOK, "success"},
	{ExFailure, "an error that fits no other code"},
	{ExUsage, "bad flags or arguments (a bad flag value, a flag after the arguments), unknown command"},
	{ExDataErr, "bad input data (a password that is empty or holds a line break or NUL, a message that is empty, not UTF-8 or over 1 MiB), or a contact-list change already in effect (already on the list, on the opposite list)"},
	{ExNoInput, "an input file is missing or unreadable (--password-file, --ca-file, --accounts), or the contact or group to change is not there"},
	{ExNoUser, "unknown account or contact"},
	{ExNoHost, "cannot reach the server or Passport"},
	{ExUnavailable, "the contact is offline, declined the file, or left before answering"},
	{ExCantCreat, "cannot create an output file, or a contact list or the group table is full"},
	{ExIOErr, "a transfer broke off: cancelled, cut short, or not confirmed"},
	{ExTempFail, "timeout or temporary failure (a connection reset, cut or stalled, a server that stopped answering its keep-alive pings, a --wait-online that ran out, no answer to a file offer within --wait, a stalled transfer): retry later"},
	{ExProtocol, "protocol error: malformed, unexpected or unsupported server reply"},
	{ExNoPerm, "authentication failed or signed in elsewhere, or a file transfer peer gave a wrong auth cookie"},
	{ExConfig, "configuration error: keyring, file permissions, a bad value in an MSN_ variable, no password source, no HOME"},
	{ExInterrupted, "interrupted by a signal"},
}

// ExitCode maps err to the process exit code.
func ExitCode(err error) int {
	if err == nil {
		return ExOK
	}
	var ce *codedError
	if errors.As(err, &ce) {
		return ce.code
	}
	var se *silentExit
	if errors.As(err, &se) {
		return se.code
	}
	var te *transferError
	if errors.As(err, &te) {
		return te.code
	}
	if errors.As(err, new(*notOnListError)) {
		return ExNoInput // whatever the server answered: 216, or a revival server's 205
	}
	if errors.Is(err, context.Canceled) {
		return ExInterrupted
	}
	if code, ok := protocolCode(err); ok {
		return code
	}
	if code, ok := keyringCode(err); ok {
		return code
	}
	if isTimeout(err) {
		return ExTempFail
	}
	if session.Unreachable(err) {
		return ExNoHost
	}
	if code, ok := shareCode(err); ok {
		return code
	}
	return otherCode(err)
}

// protocolCode maps the errors of proto and passport.
func protocolCode(err error) (int, bool) {
	switch {
	case errors.Is(err, proto.ErrAuthFailed), errors.Is(err, passport.ErrAuthFailed),
		errors.Is(err, proto.ErrSignedInElsewhere):
		return ExNoPerm, true
	case errors.Is(err, proto.ErrUnknownUser):
		return ExNoUser, true
	case errors.As(err, new(*session.StillOffline)):
		return ExTempFail, true // --wait-online ran out, as status --wait-online does
	case errors.Is(err, proto.ErrListState), errors.Is(err, proto.ErrListFull):
		return listCode(err)
	case errors.Is(err, proto.ErrNotAllowed):
		return ExNoPerm, true
	case errors.Is(err, proto.ErrInvalidArgument), errors.Is(err, passport.ErrBadCredentials):
		return ExDataErr, true
	case errors.Is(err, proto.ErrOffline), errors.Is(err, switchboard.ErrNoAnswer),
		errors.Is(err, switchboard.ErrNotDelivered), errors.Is(err, switchboard.ErrNoParticipants):
		return ExUnavailable, true
	case errors.Is(err, switchboard.ErrUnconfirmed):
		return ExTempFail, true
	case errors.Is(err, switchboard.ErrMessageTooLong):
		return ExDataErr, true
	case errors.Is(err, proto.ErrNoPassword):
		return ExConfig, true
	case errors.Is(err, proto.ErrServerBusy), errors.Is(err, proto.ErrServerShutdown),
		errors.Is(err, proto.ErrServerSilent):
		return ExTempFail, true
	case errors.Is(err, proto.ErrUnsupportedVersion),
		errors.Is(err, proto.ErrProtocol), errors.Is(err, proto.ErrBadAddress),
		errors.Is(err, passport.ErrMalformed), errors.Is(err, passport.ErrInsecureURL),
		errors.Is(err, passport.ErrHostNotAllowed), errors.Is(err, passport.ErrTooManyRedirects),
		errors.Is(err, passport.ErrBadTicket), errors.Is(err, passport.ErrBadChallenge):
		return ExProtocol, true
	}
	var se *proto.ServerError
	if errors.As(err, &se) {
		if se.Temporary() {
			return ExTempFail, true
		}
		return ExProtocol, true
	}
	return 0, false
}

// keyringCode maps the errors of keyring.
func keyringCode(err error) (int, bool) {
	switch {
	case errors.Is(err, keyring.ErrTimeout):
		return ExTempFail, true
	case errors.Is(err, keyring.ErrUnavailable), errors.Is(err, keyring.ErrInsecureFile),
		errors.Is(err, keyring.ErrNoStateDir):
		return ExConfig, true
	}
	return 0, false
}

// shareCode maps the errors of a shared session that are not the
// holder's own: a holder that went away, or one that cannot be used.
func shareCode(err error) (int, bool) {
	switch {
	case errors.Is(err, share.ErrHolderEnded):
		return ExTempFail, true
	case errors.As(err, new(*share.VersionError)), errors.Is(err, share.ErrForeignSocket):
		return ExConfig, true
	case errors.As(err, new(*session.HeldError)):
		return ExUnavailable, true
	}
	return 0, false
}

// isTimeout reports deadlines and network timeouts.
func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// otherCode maps what is left: connections that broke, certificates,
// files and the CLI library's own errors.
func otherCode(err error) int {
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr):
		return ExProtocol
	case errors.Is(err, proto.ErrClosed), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return ExTempFail
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return ExTempFail
	}
	var ec cli.ExitCoder
	if errors.As(err, &ec) {
		if ec.ExitCode() == 3 {
			return ExUsage
		}
		return ec.ExitCode()
	}
	return ExFailure
}

// Report prints err on w as "msn: <error>", followed by "msn: hint: ..."
// when the error carries advice, and returns the exit code.
func Report(w io.Writer, err error) int {
	r := describe(err)
	if r.shown {
		msg := "msn: " + r.Message + "\n"
		if r.Hint != "" {
			msg += "msn: hint: " + r.Hint + "\n"
		}
		_, _ = io.WriteString(w, msg)
	}
	return r.Code
}

// errorReport is what msn says about an error, and the JSON object it
// prints for it with --json.
type errorReport struct {
	Type    string `json:"type"`
	Code    int    `json:"code"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
	shown   bool   // false: nothing to print (success, or already said)
}

// describe returns the exit code of err, and the message and hint to
// show for it.
func describe(err error) errorReport {
	r := errorReport{Type: "error", Code: ExitCode(err)}
	if err == nil || errors.As(err, new(*silentExit)) {
		return r
	}
	r.shown, r.Message = true, message(err)
	if r.Code == ExInterrupted {
		r.Message = "interrupted"
	}
	if hint := oneLine(hintOf(err)); !strings.Contains(r.Message, hint) {
		r.Hint = hint
	}
	return r
}

// oneLine keeps a message on one line and drops control characters, so
// text that came from a server cannot move the cursor or fake a line.
func oneLine(s string) string {
	clean := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(clean), " ")
}
