package passport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"syscall"
)

// userAgent is the User-Agent the official client sent.
const userAgent = "MSMSGS"

// get sends a GET to u with the optional Authorization header, reads the
// body to EOF (bounded, so the connection can be reused), and returns the
// status and headers. Failing to connect, a timeout or a connection that
// breaks comes back as *NetError; a reply from a connected server that
// is not HTTP (a malformed status or header line, headers over the cap)
// is ErrMalformed.
func (c *Client) get(ctx context.Context, op string, u *url.URL, auth string) (int, http.Header, error) {
	var connected atomic.Bool
	trace := &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { connected.Store(true) }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, nil, &NetError{Op: op, Err: errors.New("cannot build request")}
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Cache-Control", "no-cache")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := c.client().Do(req)
	if err != nil {
		if connected.Load() && notHTTP(err) {
			return 0, nil, fmt.Errorf("%w: %s: not an HTTP reply: %s", ErrMalformed, op, parseFailure(err))
		}
		return 0, nil, netError(op, err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
	_ = resp.Body.Close()
	return resp.StatusCode, resp.Header, nil
}

// notHTTP reports whether err, met after the connection was made, is
// the transport failing to parse the reply rather than a timeout, a
// cancellation, or the connection closing or breaking.
func notHTTP(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return false
	}
	var oe *net.OpError
	var errno syscall.Errno
	return !errors.As(err, &oe) && !errors.As(err, &errno)
}

// parseFailure names what net/http could not parse, without the quoted
// text of the reply that it appends (a hostile server may echo the
// password into it).
func parseFailure(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		err = ue.Err
	}
	s := strings.TrimPrefix(err.Error(), "net/http: HTTP/1.x transport connection broken: ")
	if i := strings.IndexByte(s, '"'); i >= 0 {
		s = strings.TrimRight(s[:i], ": ")
	}
	return escapeDisplay(s, maxReason)
}

// netError wraps err as *NetError, dropping the *url.Error layer (which
// repeats the method and URL).
func netError(op string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		err = ue.Err
	}
	return &NetError{Op: op, Err: err}
}
