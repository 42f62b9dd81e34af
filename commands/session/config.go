package session

import (
	"context"
	"time"

	"msn/keyring"
	"msn/proto"
	"msn/proto/passport"
	"msn/proto/secret"
)

// Config is what a session takes from the command's environment.
type Config struct {
	// Server is --server: the dispatch or notification server.
	Server   string
	Protocol proto.Protocol
	// Engine holds the connection options (debug transcript, private
	// addresses); its Handler and KeepAlive are set by the session.
	Engine proto.Options
	// Passport returns a Passport client; it is called only for MSNP8.
	Passport func() (*passport.Client, error)
	// Store keeps the account's secrets and state.
	Store *keyring.Store
	// Warn reports a problem that does not stop the command; nil drops
	// it. It must not block for long.
	Warn func(format string, args ...any)
	// Timeout bounds each step a long-running session takes on its
	// own, outside any command's budget: answering a ring, declining an
	// invitation.
	Timeout time.Duration
	// ShareDir is the directory of the session sockets: a session opens
	// through the account's shared session when another process holds
	// one there, and a holding session serves its own there. Empty
	// neither joins nor serves.
	ShareDir string
	// Command names the command, for the status of a shared session.
	Command string
}

// warnf reports through Warn, when there is one.
func (c *Config) warnf(format string, args ...any) {
	if c.Warn != nil {
		c.Warn(format, args...)
	}
}

// PasswordFunc returns the account's password, and whether it came from
// the keyring. It is called at most once per login, and only when the
// login needs a password.
type PasswordFunc func(ctx context.Context) (pw secret.String, fromKeyring bool, err error)

// Options tune one login.
type Options struct {
	// Password supplies the password; nil means there is none (a login
	// that needs one fails with ErrNoPasswordSource).
	Password PasswordFunc
	// Fresh does not offer the cached ticket.
	Fresh bool
	// SavePassword saves the password that was read (reading it now
	// when the login did not need it) in the keyring.
	SavePassword bool
	// Handler receives the notification connection's events on its
	// reader goroutine (see proto.Options.Handler); nil ignores them.
	Handler func(proto.Event)
	// KeepAlive pings the notification server that often; zero does not.
	KeepAlive time.Duration
	// KeepAliveWait bounds the wait for the answer to each ping; zero
	// means proto.DefaultKeepAliveWait.
	KeepAliveWait time.Duration
	// BackgroundSync lets Open return while the contact list sync is
	// still in flight, so that the command can overlap its own requests
	// with it; Session.WithList waits.
	BackgroundSync bool
	// Hold serves a session of its own to the account's other commands
	// (on a socket in Config.ShareDir) until Close.
	Hold bool
	// Rings, when the session is a client of a shared one, asks for the
	// account's invitations to conversations (the newest client that
	// asks gets them, instead of the holder).
	Rings bool
}
