package server

import (
	"slices"
	"strconv"
)

// listArgs reads the list and the handle that start the arguments of an
// ADD or REM with at least min fields. With ok false it has answered 201.
func (n *nsConn) listArgs(trid string, args []string, min int) (l, h string, bit uint8, ok bool) {
	if len(args) < min || listBit[args[0]] == 0 {
		n.errLine(201, trid)
		return "", "", 0, false
	}
	return args[0], lower(args[1]), listBit[args[0]], true
}

// add handles "ADD trid list handle name [group]".
func (n *nsConn) add(trid string, args []string) bool {
	if len(args) >= 1 && args[0] == "RL" {
		return false // the reverse list is the server's
	}
	l, h, bit, ok := n.listArgs(trid, args, 3)
	if !ok {
		return true
	}
	if !validHandle(h) {
		n.errLine(208, trid)
		return true
	}
	name, ok := decodeName(args[2])
	if !ok {
		n.errLine(201, trid)
		return true
	}
	u := n.u
	target := n.s.users[h]
	if target == nil {
		n.errLine(207, trid)
		return true
	}
	group, gtext := -1, ""
	if len(args) >= 4 && l == "FL" {
		g, err := strconv.Atoi(args[3])
		if _, exists := u.groups[g]; err != nil || !exists {
			n.errLine(224, trid)
			return true
		}
		group, gtext = g, " "+args[3]
	}
	e := u.entries[h]
	if l == "FL" {
		return n.addFL(trid, target, e, name, group, gtext)
	}
	opposite := listAL | listBL
	opposite &^= bit
	if e != nil && e.lists&opposite != 0 {
		n.errLine(219, trid)
		return true
	}
	if e == nil && len(u.sorted(bit)) >= maxListSize {
		n.errLine(210, trid)
		return true
	}
	before := n.s.seenBy(u)
	e = u.entry(h)
	e.lists |= bit
	if e.name == "" {
		e.name = name
	}
	n.send("ADD " + trid + " " + l + " " + u.bump() + " " + h + " " + encodeName(name))
	n.s.hideChange(u, before)
	return true
}

// addFL adds target to the forward list (or one more group) and puts the
// user on target's reverse list.
func (n *nsConn) addFL(trid string, target *user, e *entry, name string, group int, gtext string) bool {
	u := n.u
	if e != nil && e.lists&listFL != 0 {
		if group < 0 || slices.Contains(e.groups, group) {
			n.errLine(215, trid)
			return true
		}
		e.groups = append(e.groups, group)
		slices.Sort(e.groups)
		n.send("ADD " + trid + " FL " + u.bump() + " " + target.email + " " + encodeName(name) + gtext)
		return true
	}
	if len(u.sorted(listFL)) >= maxListSize {
		n.errLine(210, trid)
		return true
	}
	if group < 0 {
		group = 0
	}
	e = u.entry(target.email)
	e.lists |= listFL
	e.name = name
	e.groups = []int{group}
	n.send("ADD " + trid + " FL " + u.bump() + " " + target.email + " " + encodeName(name) + gtext)
	if target != u {
		r := target.entry(u.email)
		if r.lists&listRL == 0 {
			r.lists |= listRL
			r.name = u.name
			v := target.bump()
			if target.ns != nil {
				target.ns.send("ADD 0 RL " + v + " " + u.email + " " + encodeName(u.name))
			}
		}
	}
	if target.visible() && target.allows(u.email) {
		n.send(n.presence("ILN", trid, target))
	}
	return true
}

// rem handles "REM trid list handle [group]". As on the revival server
// (transcripts/08 q2, q4, q5), an address with no entry in the user's
// lists is 205, and removing someone who has an entry from a list they
// are not on succeeds with a new version and changes nothing.
func (n *nsConn) rem(trid string, args []string) bool {
	if len(args) >= 1 && args[0] == "RL" {
		return false
	}
	l, h, bit, ok := n.listArgs(trid, args, 2)
	if !ok {
		return true
	}
	u := n.u
	e := u.entries[h]
	if e == nil {
		n.errLine(205, trid)
		return true
	}
	if e.lists&bit == 0 {
		line := "REM " + trid + " " + l + " " + u.bump() + " " + h
		if l == "FL" && len(args) >= 3 {
			line += " " + args[2]
		}
		n.send(line)
		return true
	}
	if l == "FL" && len(args) >= 3 {
		g, err := strconv.Atoi(args[2])
		if _, exists := u.groups[g]; err != nil || !exists {
			n.errLine(224, trid)
			return true
		}
		i := slices.Index(e.groups, g)
		if i < 0 {
			n.errLine(225, trid)
			return true
		}
		e.groups = slices.Delete(e.groups, i, i+1)
		n.send("REM " + trid + " FL " + u.bump() + " " + h + " " + args[2])
		return true
	}
	before := n.s.seenBy(u)
	e.lists &^= bit
	if l == "FL" {
		e.groups = nil
	}
	u.tidy(h)
	n.send("REM " + trid + " " + l + " " + u.bump() + " " + h)
	if l == "FL" {
		if t := n.s.users[h]; t != nil && t != u && t.on(u.email, listRL) {
			t.entries[u.email].lists &^= listRL
			t.tidy(u.email)
			v := t.bump()
			if t.ns != nil {
				t.ns.send("REM 0 RL " + v + " " + u.email)
			}
		}
		return true
	}
	n.s.hideChange(u, before)
	return true
}

// privacy handles "BLP trid AL|BL" and "GTC trid A|N". Setting the current
// value again is accepted, as on the revival server.
func (n *nsConn) privacy(trid string, args []string, verb string) {
	u := n.u
	if len(args) < 1 {
		n.errLine(201, trid)
		return
	}
	v := args[0]
	if verb == "GTC" {
		if v != "A" && v != "N" {
			n.errLine(201, trid)
			return
		}
		u.gtc = v
		n.send("GTC " + trid + " " + u.bump() + " " + v)
		return
	}
	if v != "AL" && v != "BL" {
		n.errLine(201, trid)
		return
	}
	before := n.s.seenBy(u)
	u.blp = v
	n.send("BLP " + trid + " " + u.bump() + " " + v)
	n.s.hideChange(u, before)
}

// groupNameArg decodes the group name in args[i]. With ok false it has
// answered 201 (missing) or 229 (undecodable or too long).
func (n *nsConn) groupNameArg(trid string, args []string, i int) (name string, ok bool) {
	if len(args) <= i {
		n.errLine(201, trid)
		return "", false
	}
	name, ok = decodeName(args[i])
	if !ok || len(encodeName(name)) > maxGroup {
		n.errLine(229, trid)
		return "", false
	}
	return name, true
}

// adg handles "ADG trid name 0".
func (n *nsConn) adg(trid string, args []string) {
	u := n.u
	name, ok := n.groupNameArg(trid, args, 0)
	if !ok {
		return
	}
	if len(u.groups) > maxGroups {
		n.errLine(223, trid)
		return
	}
	id := 1
	for ; ; id++ {
		if _, used := u.groups[id]; !used {
			break
		}
	}
	u.groups[id] = name
	n.send("ADG " + trid + " " + u.bump() + " " + encodeName(name) + " " + strconv.Itoa(id) + " 0")
}

// rmg handles "RMG trid id"; contacts leave the group.
func (n *nsConn) rmg(trid string, args []string) {
	u := n.u
	id, ok := n.groupArg(trid, args)
	if !ok {
		return
	}
	if id == 0 {
		n.errLine(230, trid)
		return
	}
	delete(u.groups, id)
	for _, e := range u.entries {
		if i := slices.Index(e.groups, id); i >= 0 {
			e.groups = slices.Delete(e.groups, i, i+1)
		}
	}
	n.send("RMG " + trid + " " + u.bump() + " " + strconv.Itoa(id))
}

// reg handles "REG trid id name 0".
func (n *nsConn) reg(trid string, args []string) {
	u := n.u
	id, ok := n.groupArg(trid, args)
	if !ok {
		return
	}
	name, ok := n.groupNameArg(trid, args, 1)
	if !ok {
		return
	}
	u.groups[id] = name
	n.send("REG " + trid + " " + u.bump() + " " + strconv.Itoa(id) + " " + encodeName(name) + " 0")
}

// groupArg parses an existing group id from args[0], answering 224 if not.
func (n *nsConn) groupArg(trid string, args []string) (int, bool) {
	if len(args) < 1 {
		n.errLine(201, trid)
		return 0, false
	}
	id, err := strconv.Atoi(args[0])
	if _, exists := n.u.groups[id]; err != nil || !exists {
		n.errLine(224, trid)
		return 0, false
	}
	return id, true
}

// rea handles "REA trid handle name": the user's own friendly name
// (announced to watchers) or the name stored for a contact.
func (n *nsConn) rea(trid string, args []string) {
	u := n.u
	if len(args) < 2 {
		n.errLine(201, trid)
		return
	}
	h := lower(args[0])
	name, ok := decodeName(args[1])
	if !ok {
		n.errLine(209, trid)
		return
	}
	if h == u.email {
		u.name = name
		for _, e := range u.sorted(listRL | listFL | listAL | listBL) {
			if o := n.s.users[e.email]; o != nil {
				if oe := o.entries[u.email]; oe != nil {
					oe.name = name
				}
			}
		}
		n.s.announce(u, nil)
	} else {
		e := u.entries[h]
		if e == nil {
			n.errLine(216, trid)
			return
		}
		e.name = name
	}
	n.send("REA " + trid + " " + u.bump() + " " + h + " " + encodeName(name))
}

// prp handles "PRP trid key [value]".
func (n *nsConn) prp(trid string, args []string) bool {
	u := n.u
	if len(args) < 1 || len(args[0]) > 3 {
		return false
	}
	k := args[0]
	if !slices.Contains(propKeys, k) {
		n.errLine(715, trid)
		return true
	}
	v := ""
	if len(args) >= 2 {
		v = args[1]
	}
	if len(v) > 95 {
		return false
	}
	if k == "MOB" && v != "Y" && v != "N" {
		n.errLine(201, trid)
		return true
	}
	if v != "" {
		if _, ok := decodeName(v); !ok {
			n.errLine(201, trid)
			return true
		}
		u.props[k] = v
	} else {
		delete(u.props, k)
	}
	line := "PRP " + trid + " " + u.bump() + " " + k
	if v != "" {
		line += " " + v
	}
	n.send(line)
	return true
}
