package server

import "time"

// ticket is an issued Passport ticket.
type ticket struct {
	email   string
	expires time.Time
	single  bool
}

// sbCookie admits one user to the switchboard: a new session (XFR, sess nil)
// or an invitation to sess (RNG). owner is the user whose request made it:
// the requester of an XFR, the caller of a CAL.
type sbCookie struct {
	email   string
	owner   string
	sess    *session
	expires time.Time
}

// maxCookiesPerOwner bounds the live switchboard cookies that one user's
// requests hold; a request beyond it is refused (800), so that a flood of
// XFR or CAL grows neither memory nor the work done under s.mu.
const maxCookiesPerOwner = 256

// minSweep is the table size below which expired entries are left for the
// next sweep.
const minSweep = 64

// sweepDue reports whether a table of n entries is due for a sweep of its
// expired entries: when it has doubled since the last one, so that the
// cost of sweeping stays linear in the number of entries ever added.
func sweepDue(n, last int) bool { return n >= max(2*last, minSweep) }

// issueTicket stores a new 20-hex-digit ticket for email under the current
// policy. The caller holds s.mu.
func (s *Server) issueTicket(email string) string {
	now := s.now()
	if sweepDue(len(s.tickets), s.ticketsSwept) {
		for t, tk := range s.tickets {
			if !now.Before(tk.expires) {
				delete(s.tickets, t)
			}
		}
		s.ticketsSwept = len(s.tickets)
	}
	tk := ticket{email: email, single: s.cfg.Policy == SingleUse}
	if tk.single {
		tk.expires = now.Add(singleUseLife)
	} else {
		tk.expires = now.Add(s.cfg.TicketLife)
	}
	t := randHex(10)
	s.tickets[t] = tk
	return t
}

// redeem returns the account of a valid ticket, consuming single-use ones.
// The caller holds s.mu.
func (s *Server) redeem(t string) *user {
	tk, ok := s.tickets[t]
	if !ok {
		return nil
	}
	if !s.now().Before(tk.expires) {
		delete(s.tickets, t)
		return nil
	}
	if tk.single {
		delete(s.tickets, t)
	}
	return s.users[tk.email]
}

// newCookie stores c under a fresh 20-hex-digit cookie, or reports false
// when c's owner already holds maxCookiesPerOwner live ones. The caller
// holds s.mu.
func (s *Server) newCookie(c sbCookie) (string, bool) {
	if sweepDue(len(s.cookies), s.cookiesSwept) || s.owned[c.owner] >= maxCookiesPerOwner {
		s.sweepCookies()
	}
	if s.owned[c.owner] >= maxCookiesPerOwner {
		return "", false
	}
	k := randHex(10)
	s.cookies[k] = c
	s.owned[c.owner]++
	return k, true
}

// sweepCookies drops the expired cookies. The caller holds s.mu.
func (s *Server) sweepCookies() {
	now := s.now()
	for k, v := range s.cookies {
		if !now.Before(v.expires) {
			s.dropCookie(k, v)
		}
	}
	s.cookiesSwept = len(s.cookies)
}

// dropCookie forgets cookie k. The caller holds s.mu.
func (s *Server) dropCookie(k string, c sbCookie) {
	delete(s.cookies, k)
	if s.owned[c.owner]--; s.owned[c.owner] <= 0 {
		delete(s.owned, c.owner)
	}
}

// takeCookie pops a valid cookie for email. The caller holds s.mu.
func (s *Server) takeCookie(k, email string) (sbCookie, bool) {
	c, ok := s.cookies[k]
	if !ok || c.email != email {
		return sbCookie{}, false
	}
	s.dropCookie(k, c)
	return c, s.now().Before(c.expires)
}
