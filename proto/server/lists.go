package server

import (
	"slices"
	"strconv"
	"strings"
)

// List bits as in the MSNP8 LST line.
const (
	listFL uint8 = 1 << iota
	listAL
	listBL
	listRL
)

const (
	maxListSize = 1000 // entries on one list
	maxGroups   = 30   // groups besides group 0
)

var listBit = map[string]uint8{"FL": listFL, "AL": listAL, "BL": listBL, "RL": listRL}

var listOrder = []string{"FL", "AL", "BL", "RL"}

// propKeys are the phone properties, in the order they are listed.
var propKeys = []string{"PHH", "PHW", "PHM", "MOB"}

// entry is one address on a user's lists.
type entry struct {
	email  string
	name   string // decoded stored name
	lists  uint8
	groups []int // forward-list groups, sorted
}

// user is an account and its server-side state. Guarded by Server.mu.
type user struct {
	email, password, salt string
	passportOnly          bool
	name                  string // decoded friendly name
	ver                   int    // list version
	gtc, blp              string
	groups                map[int]string
	entries               map[string]*entry
	props                 map[string]string // phone properties, encoded values
	ns                    *nsConn           // signed-in session, or nil
}

// entry returns the entry for email, creating an empty one.
func (u *user) entry(email string) *entry {
	e := u.entries[email]
	if e == nil {
		e = &entry{email: email}
		u.entries[email] = e
	}
	return e
}

// tidy deletes the entry for email if it is on no list.
func (u *user) tidy(email string) {
	if e := u.entries[email]; e != nil && e.lists == 0 {
		delete(u.entries, email)
	}
}

// on reports whether email is on the lists in mask.
func (u *user) on(email string, mask uint8) bool {
	e := u.entries[email]
	return e != nil && e.lists&mask != 0
}

// sorted returns the entries on any list in mask, by address.
func (u *user) sorted(mask uint8) []*entry {
	es := make([]*entry, 0, len(u.entries))
	for _, e := range u.entries {
		if e.lists&mask != 0 {
			es = append(es, e)
		}
	}
	slices.SortFunc(es, func(a, b *entry) int { return strings.Compare(a.email, b.email) })
	return es
}

func (u *user) groupIDs() []int {
	ids := make([]int, 0, len(u.groups))
	for id := range u.groups {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func (u *user) bump() string {
	u.ver++
	return strconv.Itoa(u.ver)
}

func groupField(gs []int) string {
	s := make([]string, len(gs))
	for i, g := range gs {
		s[i] = strconv.Itoa(g)
	}
	return strings.Join(s, ",")
}

// syn answers "SYN trid version".
func (n *nsConn) syn(trid string, args []string) bool {
	if len(args) < 1 {
		return false
	}
	cv, err := strconv.Atoi(args[0])
	if err != nil || cv < 0 {
		return false
	}
	u := n.u
	if cv == u.ver {
		n.send("SYN " + trid + " " + strconv.Itoa(u.ver))
		return true
	}
	if cv > u.ver {
		// The client's cache comes from elsewhere; move past it so that the
		// version it holds can never name this list.
		u.ver = cv + 1
	}
	if n.dialect == 8 {
		n.syn8(trid)
	} else {
		n.syn7(trid)
	}
	return true
}

// replyLines collects the lines of a reply sent in one piece.
type replyLines []byte

// add appends line and its CRLF.
func (r *replyLines) add(line string) { *r = append(append(*r, line...), '\r', '\n') }

// syn8 sends the whole list in the MSNP8 form, as one reply.
func (n *nsConn) syn8(trid string) {
	u := n.u
	var r replyLines
	es := u.sorted(listFL | listAL | listBL | listRL)
	r.add("SYN " + trid + " " + strconv.Itoa(u.ver) + " " + strconv.Itoa(len(es)) + " " + strconv.Itoa(len(u.groups)))
	r.add("GTC " + u.gtc)
	r.add("BLP " + u.blp)
	for _, k := range propKeys {
		if v, ok := u.props[k]; ok {
			r.add("PRP " + k + " " + v)
		}
	}
	for _, id := range u.groupIDs() {
		r.add("LSG " + strconv.Itoa(id) + " " + encodeName(u.groups[id]) + " 0")
	}
	for _, e := range es {
		line := "LST " + e.email + " " + encodeName(e.name) + " " + strconv.Itoa(int(e.lists))
		if e.lists&listFL != 0 && len(e.groups) > 0 {
			line += " " + groupField(e.groups)
		}
		r.add(line)
		if e.lists&listFL != 0 {
			if c := n.s.users[e.email]; c != nil {
				for _, k := range propKeys {
					if v, ok := c.props[k]; ok {
						r.add("BPR " + k + " " + v)
					}
				}
			}
		}
	}
	n.sendLines(r)
}

// syn7 sends the whole list in the MSNP7 form, as one reply.
func (n *nsConn) syn7(trid string) {
	u := n.u
	var r replyLines
	ver := strconv.Itoa(u.ver)
	pre := trid + " " + ver
	r.add("SYN " + pre)
	ids := u.groupIDs()
	for i, id := range ids {
		r.add("LSG " + pre + " " + strconv.Itoa(i+1) + " " + strconv.Itoa(len(ids)) + " " +
			strconv.Itoa(id) + " " + encodeName(u.groups[id]) + " 0")
	}
	for _, l := range listOrder {
		es := u.sorted(listBit[l])
		if len(es) == 0 {
			r.add("LST " + trid + " " + l + " " + ver + " 0 0")
			continue
		}
		for i, e := range es {
			line := "LST " + trid + " " + l + " " + ver + " " + strconv.Itoa(i+1) + " " + strconv.Itoa(len(es)) +
				" " + e.email + " " + encodeName(e.name)
			if l == "FL" && len(e.groups) > 0 {
				line += " " + groupField(e.groups)
			}
			r.add(line)
			if c := n.s.users[e.email]; l == "FL" && c != nil {
				for _, k := range propKeys {
					if v, ok := c.props[k]; ok {
						r.add("BPR " + ver + " " + e.email + " " + k + " " + v)
					}
				}
			}
		}
	}
	r.add("GTC " + pre + " " + u.gtc)
	r.add("BLP " + pre + " " + u.blp)
	for _, k := range propKeys {
		if v, ok := u.props[k]; ok {
			r.add("PRP " + pre + " " + k + " " + v)
		}
	}
	n.sendLines(r)
}
