package passport

import (
	"context"
	"io"
	"net/http"
	"net/url"
)

// Warm opens the TLS connection that the next Discover or Login will use,
// so that they do not pay for the TCP and TLS handshakes. It sends, in the
// background, a HEAD request without credentials to the root ("/") of the
// login host when LoginURL is set and allowed, else of the nexus host; the
// keep-alive connection then waits in the transport's idle pool. Errors are
// ignored. Discover and Login wait for a Warm in progress before their own
// request, so both share one connection; CloseIdle cancels it.
func (c *Client) Warm(ctx context.Context) {
	target := c.warmTarget()
	if target == "" {
		return
	}
	hc := c.client()
	c.mu.Lock()
	if c.warmDone != nil {
		select {
		case <-c.warmDone:
		default:
			c.mu.Unlock()
			return
		}
	}
	wctx, cancel := context.WithTimeout(ctx, RequestTimeout)
	done := make(chan struct{})
	c.warmDone, c.warmCancel = done, cancel
	c.mu.Unlock()
	go func() {
		defer close(done)
		defer cancel()
		req, err := http.NewRequestWithContext(wctx, http.MethodHead, target, nil)
		if err != nil {
			return
		}
		req.Header.Set("User-Agent", userAgent)
		resp, err := hc.Do(req)
		if err != nil {
			return
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
		_ = resp.Body.Close()
	}()
}

// warmTarget returns the origin root of the host Warm should connect to,
// or "" when there is none that passes the policy.
func (c *Client) warmTarget() string {
	if c.LoginURL != "" {
		if u, err := c.checkLoginURL(c.LoginURL); err == nil {
			return originRoot(u)
		}
	}
	nexus := c.NexusURL
	if nexus == "" {
		nexus = DefaultNexusURL
	}
	u, err := url.Parse(nexus)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return ""
	}
	return originRoot(u)
}

// originRoot returns "https://host[:port]/".
func originRoot(u *url.URL) string {
	return (&url.URL{Scheme: "https", Host: u.Host, Path: "/"}).String()
}

// waitWarm waits for a Warm in progress, or for ctx.
func (c *Client) waitWarm(ctx context.Context) {
	c.mu.Lock()
	done := c.warmDone
	c.mu.Unlock()
	if done == nil {
		return
	}
	select {
	case <-done:
	case <-ctx.Done():
	}
}
