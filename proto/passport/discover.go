package passport

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// Discover asks the nexus for the login server: it GETs NexusURL, reads
// the DALogin field of the PassportURLs header, checks it against the host
// policy, stores it in LoginURL and returns it. A missing header or field
// gives ErrMalformed; a DALogin that is not https gives ErrInsecureURL.
func (c *Client) Discover(ctx context.Context) (string, error) {
	nexus := c.NexusURL
	if nexus == "" {
		nexus = DefaultNexusURL
	}
	u, err := url.Parse(nexus)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("%w: bad nexus url", ErrMalformed)
	}
	if !strings.EqualFold(u.Scheme, "https") {
		return "", fmt.Errorf("%w: nexus url must use https", ErrInsecureURL)
	}
	code, h, err := c.get(ctx, "nexus", u, "")
	if err != nil {
		return "", err
	}
	if code < 200 || code > 299 {
		return "", fmt.Errorf("%w: nexus answered http %d", ErrMalformed, code)
	}
	v := h.Get("PassportURLs")
	if v == "" {
		return "", fmt.Errorf("%w: nexus reply has no PassportURLs", ErrMalformed)
	}
	m, err := ParsePassportURLs(v)
	if err != nil {
		return "", err
	}
	dl, ok := daLogin(m)
	if !ok {
		return "", fmt.Errorf("%w: nexus reply has no DALogin", ErrMalformed)
	}
	raw, err := loginURLFromDALogin(dl)
	if err != nil {
		return "", err
	}
	lu, err := c.checkLoginURL(raw)
	if err != nil {
		return "", err
	}
	c.LoginURL = lu.String()
	return c.LoginURL, nil
}
