package passport

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// DefaultNexusURL is the Microsoft nexus.
const DefaultNexusURL = "https://nexus.passport.com/rdr/pprdr.asp"

// maxURL bounds login and redirect URLs.
const maxURL = 2048

// microsoftDomains are the login domains allowed with DefaultNexusURL.
var microsoftDomains = []string{"passport.com", "passport.net", "live.com"}

// loginURLFromDALogin turns a DALogin value into an https URL: a value
// without a scheme gets "https://", a value with https:// is kept, any
// other scheme gives ErrInsecureURL.
func loginURLFromDALogin(v string) (string, error) {
	if v == "" {
		return "", fmt.Errorf("%w: empty DALogin", ErrMalformed)
	}
	if i := strings.Index(v, "://"); i >= 0 {
		if !asciiEqualFold(v[:i], "https") {
			return "", fmt.Errorf("%w: DALogin must use https", ErrInsecureURL)
		}
		return "https://" + v[i+3:], nil
	}
	return "https://" + v, nil
}

// checkLoginURL parses raw and applies the host policy. The Authorization
// header is only ever sent to a URL this function accepted.
func (c *Client) checkLoginURL(raw string) (*url.URL, error) {
	if len(raw) > maxURL {
		return nil, fmt.Errorf("%w: login url too long", ErrMalformed)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: bad login url", ErrMalformed)
	}
	return u, c.checkURL(u)
}

// checkURL applies the scheme and host policy to an absolute URL.
func (c *Client) checkURL(u *url.URL) error {
	if !strings.EqualFold(u.Scheme, "https") {
		return fmt.Errorf("%w: login url must use https", ErrInsecureURL)
	}
	if u.User != nil {
		return fmt.Errorf("%w: login url carries user info", ErrHostNotAllowed)
	}
	host := normalHost(u.Hostname())
	if host == "" {
		return fmt.Errorf("%w: login url has no host", ErrMalformed)
	}
	if !c.hostAllowed(host) {
		return fmt.Errorf("%w: %s", ErrHostNotAllowed, quoteHost(host))
	}
	return nil
}

// hostAllowed implements the host policy: LoginHosts always; with the
// Microsoft nexus, passport.com, passport.net and live.com and their
// subdomains; with another nexus, its own host and hosts sharing its last
// two labels (IP literals must match exactly).
func (c *Client) hostAllowed(host string) bool {
	for _, h := range c.LoginHosts {
		if hn := normalHost(hostOnly(h)); hn != "" && hn == host {
			return true
		}
	}
	nexus := c.NexusURL
	if nexus == "" {
		nexus = DefaultNexusURL
	}
	if nexus == DefaultNexusURL {
		for _, d := range microsoftDomains {
			if host == d || strings.HasSuffix(host, "."+d) {
				return true
			}
		}
		return false
	}
	nu, err := url.Parse(nexus)
	if err != nil {
		return false
	}
	nh := normalHost(nu.Hostname())
	if nh == "" {
		return false
	}
	if host == nh {
		return true
	}
	if net.ParseIP(host) != nil || net.ParseIP(nh) != nil {
		return false
	}
	return registrable(host) == registrable(nh)
}

// registrable returns the last two labels of a DNS name.
func registrable(h string) string {
	labels := strings.Split(h, ".")
	if len(labels) <= 2 {
		return h
	}
	return strings.Join(labels[len(labels)-2:], ".")
}

// normalHost lower-cases h and drops a trailing dot; it returns "" for a
// name with empty labels or characters a host name cannot have.
func normalHost(h string) string {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if h == "" {
		return ""
	}
	if net.ParseIP(h) != nil {
		return h
	}
	for label := range strings.SplitSeq(h, ".") {
		if label == "" || len(label) > 63 {
			return ""
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return ""
			}
		}
	}
	return h
}

// hostOnly strips a port from "host:port" or "[v6]:port".
func hostOnly(h string) string {
	if host, _, err := net.SplitHostPort(h); err == nil {
		return host
	}
	return strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
}

// quoteHost makes a host safe to show in an error.
func quoteHost(h string) string {
	if len(h) > 255 {
		h = h[:255]
	}
	return fmt.Sprintf("%q", h)
}
