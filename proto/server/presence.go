package server

import "strconv"

// statuses a client may set with CHG.
var statuses = map[string]bool{
	"NLN": true, "BSY": true, "IDL": true, "BRB": true,
	"AWY": true, "PHN": true, "LUN": true, "HDN": true,
}

// visible reports whether u is signed in, has set a status and is not hidden.
func (u *user) visible() bool {
	return u.ns != nil && u.ns.status != "" && u.ns.status != "HDN"
}

// allows reports whether owner's privacy settings let other see and contact
// owner: BL always refuses, AL always admits, everyone else follows BLP.
func (u *user) allows(other string) bool {
	if e := u.entries[other]; e != nil {
		if e.lists&listBL != 0 {
			return false
		}
		if e.lists&listAL != 0 {
			return true
		}
	}
	return u.blp == "AL" || other == u.email
}

// seenBy returns the signed-in users who currently see u online, in address
// order: those with u on their forward list whom u allows.
func (s *Server) seenBy(u *user) []*user {
	if !u.visible() {
		return nil
	}
	var ws []*user
	for _, e := range u.sorted(listRL) {
		w := s.users[e.email]
		if w != nil && w.ns != nil && w.on(u.email, listFL) && u.allows(w.email) {
			ws = append(ws, w)
		}
	}
	return ws
}

// announce sends u's presence to everyone who sees u now and FLN to those
// in before who no longer do.
func (s *Server) announce(u *user, before []*user) {
	after := s.seenBy(u)
	now := map[*user]bool{}
	for _, w := range after {
		now[w] = true
		w.ns.send(w.ns.presence("NLN", "", u))
	}
	for _, w := range before {
		if !now[w] && w.ns != nil {
			w.ns.send("FLN " + u.email)
		}
	}
}

// hideChange sends FLN/NLN to the watchers whose view of u changed since
// before, leaving the others alone.
func (s *Server) hideChange(u *user, before []*user) {
	was := map[*user]bool{}
	for _, w := range before {
		was[w] = true
	}
	now := map[*user]bool{}
	for _, w := range s.seenBy(u) {
		now[w] = true
		if !was[w] {
			w.ns.send(w.ns.presence("NLN", "", u))
		}
	}
	for _, w := range before {
		if !now[w] && w.ns != nil {
			w.ns.send("FLN " + u.email)
		}
	}
}

// presence formats an NLN or ILN line about u for this connection's dialect.
func (n *nsConn) presence(verb, trid string, u *user) string {
	line := verb + " "
	if trid != "" {
		line += trid + " "
	}
	line += u.ns.status + " " + u.email + " " + encodeName(u.name)
	if n.dialect == 8 {
		line += " " + u.ns.clientID
	}
	return line
}

// chg handles "CHG trid status [clientid]".
func (n *nsConn) chg(trid string, args []string) bool {
	if len(args) < 1 || !statuses[args[0]] {
		return false
	}
	cid := "0"
	if n.dialect == 8 {
		if len(args) < 2 {
			return true // ignored without a reply, as on the revival server
		}
		if _, err := strconv.ParseUint(args[1], 10, 32); err != nil {
			return false
		}
		cid = args[1]
	}
	u := n.u
	before := n.s.seenBy(u)
	n.status, n.clientID = args[0], cid
	n.s.announce(u, before)
	n.send("CHG " + trid + " " + n.status + " " + cid)
	if !n.listed {
		n.listed = true
		for _, e := range u.sorted(listFL) {
			c := n.s.users[e.email]
			if c != nil && c.visible() && c.allows(u.email) {
				n.send(n.presence("ILN", trid, c))
			}
		}
	}
	return true
}

// signOff ends n's presence: watchers get FLN and the account has no session.
func (s *Server) signOff(n *nsConn) {
	u := n.u
	if u == nil || u.ns != n {
		return
	}
	before := s.seenBy(u)
	u.ns = nil
	for _, w := range before {
		if w.ns != nil {
			w.ns.send("FLN " + u.email)
		}
	}
}
