package commands

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"

	"msn/keyring"
	"msn/proto"
	"msn/proto/passport"
)

// TestMessageIsPlain checks that what msn says about an error is a
// sentence for a person: no package prefixes, no wording of Go's
// libraries that names their internals.
func TestMessageIsPlain(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	stalled := &net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("%w: %w", proto.ErrAuthFailed, passport.ErrAuthFailed), "Passport refused the password"},
		{fmt.Errorf("%w: %w: bad password", proto.ErrAuthFailed, passport.ErrAuthFailed), "Passport refused the password: bad password"},
		{proto.ErrAuthFailed, "the server refused the password"},
		{fmt.Errorf("listen: %w", proto.ErrSignedInElsewhere), "listen: the account signed in elsewhere, which ended this session"},
		{fmt.Errorf("status: %w", context.DeadlineExceeded), "status: timed out"},
		{fmt.Errorf("connect to 127.0.0.1:1: %w", refused), "connect to 127.0.0.1:1: connection refused"},
		{fmt.Errorf("connect to 127.0.0.1:1: %w", stalled), "connect to 127.0.0.1:1: timed out"},
		{fmt.Errorf("--password-file: %w", &fs.PathError{Op: "stat", Path: "pw", Err: fs.ErrNotExist}), "--password-file: pw: file does not exist"},
		{fmt.Errorf("profile: %w", errors.New("proto: PRP: bad reply")), "profile: PRP: bad reply"},
		{keyring.ErrNoStateDir, "no directory for msn's state: set HOME or XDG_STATE_HOME"},
	} {
		got := message(tc.err)
		if got != tc.want {
			t.Errorf("message(%q) = %q, want %q", tc.err, got, tc.want)
		}
		for _, internal := range []string{"proto:", "passport:", "keyring:", "context deadline", "dial tcp", "stat "} {
			if strings.Contains(got, internal) {
				t.Errorf("message(%q) = %q: says %q", tc.err, got, internal)
			}
		}
	}
}

// TestPlainHints checks the advice given for the failures every command
// can meet.
func TestPlainHints(t *testing.T) {
	for err, want := range map[error]string{
		proto.ErrAuthFailed:                         "msn login --save-password",
		proto.ErrSignedInElsewhere:                  "--no-share",
		x509UnknownAuthority():                      "--ca-file",
		fmt.Errorf("x: %w", passport.ErrAuthFailed): "msn logout",
	} {
		if got := hintOf(err); !strings.Contains(got, want) {
			t.Errorf("hintOf(%v) = %q, want it to mention %q", err, got, want)
		}
	}
}

// x509UnknownAuthority returns the error of a certificate chain that
// ends at an unknown authority, wrapped as Passport's client does.
func x509UnknownAuthority() error {
	return fmt.Errorf("nexus: %w", x509.UnknownAuthorityError{})
}
