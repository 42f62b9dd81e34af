package commands

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/urfave/cli/v2"

	"msn/commands/session"
	"msn/commands/session/share"
	"msn/keyring"
	"msn/proto"
	"msn/proto/passport"
)

func TestExitCode(t *testing.T) {
	dialRefused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, ExOK},
		{"plain", errors.New("boom"), ExFailure},
		{"usage", usageErrorf("bad flag"), ExUsage},
		{"coded wrapped", fmt.Errorf("outer: %w", withCode(ExNoInput, errors.New("x"))), ExNoInput},
		{"hint keeps code", withHint(proto.ErrAuthFailed, "h"), ExNoPerm},
		{"cli exit 3", cli.Exit("no help topic", 3), ExUsage},
		{"canceled", fmt.Errorf("login: %w", context.Canceled), ExInterrupted},
		{"deadline", fmt.Errorf("login: %w", context.DeadlineExceeded), ExTempFail},
		{"auth", fmt.Errorf("x: %w", proto.ErrAuthFailed), ExNoPerm},
		{"server 911", &proto.ServerError{Code: 911, TrID: 3}, ExNoPerm},
		{"passport auth", fmt.Errorf("x: %w", passport.ErrAuthFailed), ExNoPerm},
		{"elsewhere", proto.ErrSignedInElsewhere, ExNoPerm},
		{"unknown user", proto.ErrUnknownUser, ExNoUser},
		{"server 205", &proto.ServerError{Code: 205}, ExNoUser},
		{"offline", proto.ErrOffline, ExUnavailable},
		{"server 217", &proto.ServerError{Code: 217}, ExUnavailable},
		{"busy", &proto.ServerError{Code: 600}, ExTempFail},
		{"shutdown", proto.ErrServerShutdown, ExTempFail},
		{"no password", proto.ErrNoPassword, ExConfig},
		{"no password source", errNoPasswordSource, ExConfig},
		{"protocol", &proto.ProtocolError{Msg: "line too long"}, ExProtocol},
		{"version", proto.ErrUnsupportedVersion, ExProtocol},
		{"passport malformed", passport.ErrMalformed, ExProtocol},
		{"passport insecure", passport.ErrInsecureURL, ExProtocol},
		{"passport host", passport.ErrHostNotAllowed, ExProtocol},
		{"passport redirects", passport.ErrTooManyRedirects, ExProtocol},
		{"passport ticket", passport.ErrBadTicket, ExProtocol},
		{"passport challenge", passport.ErrBadChallenge, ExProtocol},
		{"passport credentials", fmt.Errorf("login: %w: password contains a line break", passport.ErrBadCredentials), ExDataErr},
		{"keyring unavailable", fmt.Errorf("k: %w", keyring.ErrUnavailable), ExConfig},
		{"keyring insecure", keyring.ErrInsecureFile, ExConfig},
		{"keyring timeout", keyring.ErrTimeout, ExTempFail},
		{"holder ended", fmt.Errorf("listen: %w", share.ErrHolderEnded), ExTempFail},
		{"holder speaks another version", &session.ShareError{Err: &share.VersionError{Holder: 2, Client: 1}}, ExConfig},
		{"socket of another user", &session.ShareError{Err: share.ErrForeignSocket}, ExConfig},
		{"session held", &session.HeldError{}, ExUnavailable},
		{"dial refused", fmt.Errorf("proto: connect: %w", dialRefused), ExNoHost},
		{"dns", &net.DNSError{Err: "no such host", Name: "x.invalid", IsNotFound: true}, ExNoHost},
		{"passport net", &passport.NetError{Op: "nexus", Err: dialRefused}, ExNoHost},
		{"passport timeout", &passport.NetError{Op: "login", Err: context.DeadlineExceeded}, ExTempFail},
		{"dial timeout", &net.OpError{Op: "dial", Err: os.ErrDeadlineExceeded}, ExTempFail},
		{"reset", &net.OpError{Op: "read", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, ExTempFail},
		{"closed", proto.ErrClosed, ExTempFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExitCode(tt.err); got != tt.want {
				t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}

func TestReport(t *testing.T) {
	var buf bytes.Buffer
	code := Report(&buf, &codedError{code: ExConfig, err: errors.New("no\npassword\x1b[2J"), hint: "use --password-stdin"})
	if code != ExConfig {
		t.Errorf("code = %d, want %d", code, ExConfig)
	}
	want := "msn: no password [2J\nmsn: hint: use --password-stdin\n"
	if buf.String() != want {
		t.Errorf("Report wrote %q, want %q", buf.String(), want)
	}
	buf.Reset()
	if code := Report(&buf, nil); code != 0 || buf.Len() != 0 {
		t.Errorf("Report(nil) = %d, %q", code, buf.String())
	}
	buf.Reset()
	Report(&buf, fmt.Errorf("login: %w", context.Canceled))
	if got := buf.String(); got != "msn: interrupted\n" {
		t.Errorf("interrupted: %q", got)
	}
}

func TestExitStatusListsEveryCode(t *testing.T) {
	seen := map[int]bool{}
	for _, s := range ExitStatus {
		if seen[s.Code] {
			t.Errorf("code %d listed twice", s.Code)
		}
		seen[s.Code] = true
		if s.Meaning == "" || strings.Contains(s.Meaning, "`") {
			t.Errorf("code %d: bad meaning %q", s.Code, s.Meaning)
		}
	}
	for _, c := range []int{0, 1, 64, 65, 66, 67, 68, 69, 73, 74, 75, 76, 77, 78, 130} {
		if !seen[c] {
			t.Errorf("code %d missing", c)
		}
	}
}
