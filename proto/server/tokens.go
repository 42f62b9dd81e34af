package server

import "time"

// ticket is an issued Passport ticket.
type ticket struct {
	email   string
	expires time.Time
	single  bool
}

// sbCookie admits one user to the switchboard: a new session (XFR, sess nil)
// or an invitation to sess (RNG).
type sbCookie struct {
	email   string
	sess    *session
	expires time.Time
}

// issueTicket stores a new 20-hex-digit ticket for email under the current
// policy. The caller holds s.mu.
func (s *Server) issueTicket(email string) string {
	now := s.now()
	for t, tk := range s.tickets {
		if !now.Before(tk.expires) {
			delete(s.tickets, t)
		}
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

// newCookie stores c under a fresh 20-hex-digit cookie. The caller holds s.mu.
func (s *Server) newCookie(c sbCookie) string {
	now := s.now()
	for k, v := range s.cookies {
		if !now.Before(v.expires) {
			delete(s.cookies, k)
		}
	}
	k := randHex(10)
	s.cookies[k] = c
	return k
}

// takeCookie pops a valid cookie for email. The caller holds s.mu.
func (s *Server) takeCookie(k, email string) (sbCookie, bool) {
	c, ok := s.cookies[k]
	if !ok || c.email != email {
		return sbCookie{}, false
	}
	delete(s.cookies, k)
	return c, s.now().Before(c.expires)
}
