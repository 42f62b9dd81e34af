package passport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"msn/proto/secret"
)

// Login signs in at the login server and returns the ticket to send in
// "USR n TWN S". It validates the challenge and builds the Authorization
// header first, finds the login server with Discover when LoginURL is
// empty, and follows at most MaxRedirects redirects (302 with
// da-status=redir and Location), https only and within the host policy.
// When a cached LoginURL fails for a reason other than the credentials, the
// nexus is asked again and the login retried once if it names another URL.
// Errors never contain the password or the ticket.
func (c *Client) Login(ctx context.Context, email string, password secret.String, challenge string) (secret.String, error) {
	auth, err := AuthorizationHeader(email, password, challenge)
	if err != nil {
		return secret.String{}, err
	}
	cached := c.LoginURL != ""
	if !cached {
		if _, err := c.Discover(ctx); err != nil {
			return secret.String{}, err
		}
	}
	t, err := c.loginAt(ctx, c.LoginURL, auth, password)
	if err == nil || !cached || !rediscover(ctx, err) {
		return t, err
	}
	old := c.LoginURL
	if fresh, derr := c.Discover(ctx); derr != nil || fresh == old {
		return secret.String{}, err
	}
	return c.loginAt(ctx, c.LoginURL, auth, password)
}

// rediscover reports whether a failure at a cached login URL is worth a
// new nexus lookup: not for wrong credentials, a bad challenge, a timeout
// or a cancelled context.
func rediscover(ctx context.Context, err error) bool {
	if ctx.Err() != nil || errors.Is(err, ErrAuthFailed) || errors.Is(err, ErrBadChallenge) {
		return false
	}
	var ne *NetError
	if errors.As(err, &ne) {
		return !ne.Timeout()
	}
	return errors.Is(err, ErrMalformed) || errors.Is(err, ErrHostNotAllowed) ||
		errors.Is(err, ErrInsecureURL) || errors.Is(err, ErrTooManyRedirects)
}

// loginAt runs the login request at raw and the redirects after it.
func (c *Client) loginAt(ctx context.Context, raw, auth string, password secret.String) (secret.String, error) {
	u, err := c.checkLoginURL(raw)
	if err != nil {
		return secret.String{}, err
	}
	op := "login"
	for hops := 0; ; hops++ {
		code, h, err := c.get(ctx, op, u, auth)
		if err != nil {
			return secret.String{}, err
		}
		v := h.Get("WWW-Authenticate")
		if v == "" {
			v = h.Get("Authentication-Info")
		}
		if code == http.StatusUnauthorized {
			return secret.String{}, authFailed(v, password)
		}
		status, ticket, perr := ParseAuthInfo(v)
		if perr != nil {
			return secret.String{}, perr
		}
		switch {
		case status == "failed" || status == "failed-noretry":
			return secret.String{}, authFailed(v, password)
		case code >= 300 && code <= 399:
			next, err := c.redirectTarget(u, h.Get("Location"), status)
			if err != nil {
				return secret.String{}, err
			}
			if hops+1 > MaxRedirects {
				return secret.String{}, fmt.Errorf("%w: more than %d", ErrTooManyRedirects, MaxRedirects)
			}
			u, op = next, "redirect"
		case code == http.StatusOK:
			if status != "success" {
				return secret.String{}, fmt.Errorf("%w: login reply without da-status=success", ErrMalformed)
			}
			if ticket == "" {
				return secret.String{}, fmt.Errorf("%w: login reply without a ticket", ErrMalformed)
			}
			return secret.New(ticket), nil
		default:
			return secret.String{}, fmt.Errorf("%w: login server answered http %d", ErrMalformed, code)
		}
	}
}

// redirectTarget resolves a Location against the current URL and applies
// the https and host policy to the result.
func (c *Client) redirectTarget(cur *url.URL, loc, status string) (*url.URL, error) {
	if status != "" && status != "redir" {
		return nil, fmt.Errorf("%w: redirect with da-status other than redir", ErrMalformed)
	}
	if loc == "" {
		return nil, fmt.Errorf("%w: redirect without Location", ErrMalformed)
	}
	if len(loc) > maxURL || hasControl(loc) {
		return nil, fmt.Errorf("%w: bad redirect Location", ErrMalformed)
	}
	next, err := cur.Parse(loc)
	if err != nil {
		return nil, fmt.Errorf("%w: bad redirect Location", ErrMalformed)
	}
	if err := c.checkURL(next); err != nil {
		return nil, err
	}
	return next, nil
}
