package passport

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
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

// defaultPort is the port of an https URL that names none.
const defaultPort = 443

// checkURL applies the scheme, host and port policy to an absolute URL:
// https, no user info, and a host and port that hostAllowed accepts.
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
	port, ok := urlPort(u)
	if !ok {
		return fmt.Errorf("%w: login url has a bad port", ErrMalformed)
	}
	if !c.hostAllowed(host, port) {
		return fmt.Errorf("%w: %s", ErrHostNotAllowed, quoteHost(net.JoinHostPort(host, strconv.Itoa(port))))
	}
	return nil
}

// hostAllowed implements the host policy, which compares the port as
// well as the host (443 when a URL names none): LoginHosts always (an
// entry without a port allows port 443 only; "host:port" allows that
// port); with the Microsoft nexus, passport.com, passport.net and
// live.com and their subdomains on port 443; with another nexus, its own
// host and hosts sharing its last two labels (IP literals must match
// exactly), on the nexus's port only.
func (c *Client) hostAllowed(host string, port int) bool {
	for _, h := range c.LoginHosts {
		if lh, lp, err := ParseLoginHost(h); err == nil && lh == host && lp == port {
			return true
		}
	}
	nexus := c.NexusURL
	if nexus == "" {
		nexus = DefaultNexusURL
	}
	if nexus == DefaultNexusURL {
		if port != defaultPort {
			return false
		}
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
	np, ok := urlPort(nu)
	if nh == "" || !ok || np != port {
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

// ParseLoginHost parses an extra login host as given to LoginHosts:
// "host", "host:port", "[v6]" or "[v6]:port". It returns the host in the
// form the policy compares (lower case, no trailing dot) and the port,
// 443 when none is given.
func ParseLoginHost(h string) (host string, port int, err error) {
	h = strings.TrimSpace(h)
	port = defaultPort
	if hp, p, splitErr := net.SplitHostPort(h); splitErr == nil {
		n, ok := parsePort(p)
		if !ok {
			return "", 0, fmt.Errorf("%q: the port must be a number from 1 to 65535", h)
		}
		h, port = hp, n
	} else if strings.Count(h, ":") == 1 {
		return "", 0, fmt.Errorf("%q: want HOST or HOST:PORT", h)
	}
	host = normalHost(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"))
	if host == "" {
		return "", 0, fmt.Errorf("%q: want HOST or HOST:PORT", h)
	}
	return host, port, nil
}

// urlPort returns the port of an https URL, 443 when it names none;
// false for a port that is not a number from 1 to 65535.
func urlPort(u *url.URL) (int, bool) {
	p := u.Port()
	if p == "" {
		if strings.HasSuffix(u.Host, ":") {
			return 0, false
		}
		return defaultPort, true
	}
	return parsePort(p)
}

// parsePort parses a decimal port from 1 to 65535.
func parsePort(p string) (int, bool) {
	if p == "" || len(p) > 5 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return 0, false
		}
		n = n*10 + int(p[i]-'0')
	}
	return n, n >= 1 && n <= 65535
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

// quoteHost makes a host safe to show in an error.
func quoteHost(h string) string {
	if len(h) > 255 {
		h = h[:255]
	}
	return fmt.Sprintf("%q", h)
}
