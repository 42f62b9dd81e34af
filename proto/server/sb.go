package server

import (
	"slices"
	"strconv"
)

// maxMessage is the largest MSG payload a switchboard accepts.
const maxMessage = 1664

// session is one switchboard conversation. Guarded by Server.mu.
type session struct {
	id      string
	members []*sbConn
}

// sbConn is one participant's switchboard connection. Guarded by Server.mu.
type sbConn struct {
	*conn
	u    *user
	sess *session
}

func (c *sbConn) payload(f []string) (int, int, bool) {
	if f[0] == "MSG" {
		return payloadLen(f, 3, maxMessage)
	}
	return -1, 0, false
}

func (c *sbConn) handle(f []string, payload []byte) bool {
	verb := f[0]
	if verb == "OUT" {
		c.sendLast("OUT")
		c.leave()
		return false
	}
	if len(f) < 2 || !validTrID(f[1]) {
		return c.sess != nil && verb != "MSG" && verb != "CAL" && verb != "USR" && verb != "ANS"
	}
	trid, args := f[1], f[2:]
	if c.sess == nil {
		switch verb {
		case "USR":
			return c.usr(trid, args)
		case "ANS":
			return c.ans(trid, args)
		}
		return false
	}
	switch verb {
	case "CAL":
		c.cal(trid, args)
	case "MSG":
		return c.msg(trid, args[0], payload)
	case "USR", "ANS":
		return false
	}
	return true
}

func (c *sbConn) finish() { c.leave() }

func (c *sbConn) signedIn() bool { return c.sess != nil }

// usr opens a new session with an XFR cookie: "USR trid handle cookie".
func (c *sbConn) usr(trid string, args []string) bool {
	if len(args) < 2 {
		return false
	}
	ck, ok := c.s.takeCookie(args[1], lower(args[0]))
	u := c.s.users[ck.email]
	if !ok || ck.sess != nil || u == nil {
		c.sendLast("911 " + trid)
		return false
	}
	c.u = u
	c.sess = &session{id: newSessionID(), members: []*sbConn{c}}
	c.send("USR " + trid + " OK " + u.email + " " + encodeName(u.name))
	return true
}

// ans joins a session with an RNG cookie: "ANS trid handle cookie sessionid".
func (c *sbConn) ans(trid string, args []string) bool {
	if len(args) < 3 {
		return false
	}
	ck, ok := c.s.takeCookie(args[1], lower(args[0]))
	u := c.s.users[ck.email]
	if !ok || ck.sess == nil || ck.sess.id != args[2] || len(ck.sess.members) == 0 || u == nil {
		c.sendLast("911 " + trid)
		return false
	}
	c.u, c.sess = u, ck.sess
	others := c.sess.members
	joi := "JOI " + u.email + " " + encodeName(u.name)
	for _, m := range others {
		m.send(joi)
	}
	c.send(joi)
	total := strconv.Itoa(len(others))
	for i, m := range others {
		c.send("IRO " + trid + " " + strconv.Itoa(i+1) + " " + total + " " + m.u.email + " " + encodeName(m.u.name))
	}
	c.send("ANS " + trid + " OK")
	c.sess.members = append(slices.Clone(others), c)
	return true
}

// cal invites a user: "CAL trid handle".
func (c *sbConn) cal(trid string, args []string) {
	if len(args) < 1 {
		c.errLine(201, trid)
		return
	}
	h := lower(args[0])
	if !validHandle(h) {
		c.errLine(208, trid)
		return
	}
	t := c.s.users[h]
	switch {
	case t == nil:
		c.errLine(207, trid)
		return
	case h != c.u.email && c.member(h):
		c.errLine(215, trid)
		return
	case h != c.u.email && !c.u.on(h, listFL):
		c.errLine(205, trid)
		return
	case !t.visible() || !t.allows(c.u.email):
		c.errLine(217, trid)
		return
	}
	cookie, ok := c.s.newCookie(sbCookie{email: h, owner: c.u.email, sess: c.sess, expires: c.s.now().Add(rngCookieLife)})
	if !ok {
		c.errLine(800, trid) // too many invitations at once
		return
	}
	t.ns.send("RNG " + c.sess.id + " " + c.s.sbAdvertised(t.ns.nc.LocalAddr()) + " CKI " + cookie +
		" " + c.u.email + " " + encodeName(c.u.name))
	c.send("CAL " + trid + " RINGING " + c.sess.id)
}

func (c *sbConn) member(email string) bool {
	for _, m := range c.sess.members {
		if m.u.email == email {
			return true
		}
	}
	return false
}

// msg relays a message to the other participants: "MSG trid U|N|A len".
func (c *sbConn) msg(trid, ack string, payload []byte) bool {
	if ack != "U" && ack != "N" && ack != "A" {
		return false
	}
	line := "MSG " + c.u.email + " " + encodeName(c.u.name) + " " + strconv.Itoa(len(payload))
	delivered := true
	for _, m := range c.sess.members {
		if m == c {
			continue
		}
		if !m.sendPayload(line, payload) {
			delivered = false
		}
		c.holdBackFor(m.conn)
	}
	switch {
	case !delivered && ack != "U":
		c.send("NAK " + trid)
	case ack == "A":
		c.send("ACK " + trid)
	}
	return true
}

// leave removes c from its session and tells the others.
func (c *sbConn) leave() {
	s := c.sess
	if s == nil {
		return
	}
	c.sess = nil
	i := slices.Index(s.members, c)
	if i < 0 {
		return
	}
	s.members = slices.Delete(slices.Clone(s.members), i, i+1)
	for _, m := range s.members {
		m.send("BYE " + c.u.email)
	}
}
