package passport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
)

// userAgent is the User-Agent the official client sent.
const userAgent = "MSMSGS"

// get sends a GET to u with the optional Authorization header, reads the
// body to EOF (bounded, so the connection can be reused), and returns the
// status and headers. Network failures come back as *NetError.
func (c *Client) get(ctx context.Context, op string, u *url.URL, auth string) (int, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
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
		return 0, nil, netError(op, err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
	_ = resp.Body.Close()
	return resp.StatusCode, resp.Header, nil
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
