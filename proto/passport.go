package proto

import (
	"context"
	"errors"
	"fmt"

	"msn/proto/passport"
	"msn/proto/secret"
)

// preparePassport starts, in the background, what Passport needs before
// the challenge arrives: the nexus lookup when the login URL is not
// known, else a TLS handshake with the login server. waitPassport joins
// it.
func (l *login) preparePassport(ctx context.Context) {
	l.prep = make(chan struct{})
	pp := l.cfg.Passport
	discover := pp.LoginURL == ""
	go func() {
		defer close(l.prep)
		if discover {
			_, _ = pp.Discover(ctx) // a failure is met again, and reported, by Login
			return
		}
		pp.Warm(ctx)
	}()
}

// waitPassport waits for the background Passport preparation, if any.
func (l *login) waitPassport() {
	if l.prep != nil {
		<-l.prep
	}
}

// passportLogin trades the password and the server's challenge for a
// ticket.
func (l *login) passportLogin(ctx context.Context, challenge string) (secret.String, error) {
	pw, err := l.getPassword(ctx)
	if err != nil {
		return secret.String{}, err
	}
	l.waitPassport()
	l.debugNote("passport: signing in")
	ticket, err := l.cfg.Passport.Login(ctx, l.cfg.Email, pw, challenge)
	if err != nil {
		if errors.Is(err, passport.ErrAuthFailed) {
			return secret.String{}, fmt.Errorf("%w: %w", ErrAuthFailed, err)
		}
		return secret.String{}, err
	}
	l.debugNote("passport: ticket received")
	return ticket, nil
}
