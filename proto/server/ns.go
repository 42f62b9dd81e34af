package server

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"strings"
)

// twnChallenge is the Passport challenge string given on "USR TWN I".
const twnChallenge = "ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1"

// QRY client id and key pair of MSNP7/MSNP8.
const (
	qryClientID = "msmsgs@msnmsgr.com"
	qryKey      = "Q1P7W2E4J9R8U3S5"
)

type authStage int

const (
	stageNone authStage = iota
	stageMD5            // salt sent, waiting for "USR MD5 S"
	stageTWN            // challenge sent, waiting for "USR TWN S"
)

// nsConn is a notification server session. Guarded by Server.mu.
type nsConn struct {
	*conn
	dialect  int // 0 before VER, then 7 or 8
	stage    authStage
	pending  *user // account of the MD5 I stage
	u        *user // signed-in account
	status   string
	clientID string
	listed   bool   // the ILN burst was sent
	chl      string // outstanding CHL challenge
}

// verbs that need a signed-in session.
var nsAuthVerbs = map[string]bool{
	"SYN": true, "CHG": true, "ADD": true, "REM": true, "ADG": true, "RMG": true,
	"REG": true, "REA": true, "PRP": true, "BLP": true, "GTC": true, "XFR": true,
	"LST": true, "LSG": true, "URL": true, "SND": true,
}

func (n *nsConn) payload(f []string) (int, int, bool) {
	switch f[0] {
	case "QRY":
		return payloadLen(f, 3, 32)
	case "MSG":
		return 0, 0, true // a MSG to the notification server is fatal
	}
	return -1, 0, false
}

func (n *nsConn) handle(f []string, payload []byte) bool {
	verb := f[0]
	switch verb {
	case "PNG":
		n.send("QNG")
		return true
	case "OUT":
		n.s.signOff(n)
		n.sendLast("OUT")
		return false
	}
	if len(f) < 2 || !validTrID(f[1]) {
		return !nsAuthVerbs[verb] && !knownNS(verb)
	}
	trid, args := f[1], f[2:]
	if nsAuthVerbs[verb] && n.u == nil {
		return false
	}
	switch verb {
	case "VER":
		if n.u == nil {
			line, d := negotiate(trid, args)
			n.dialect = d
			n.stage = stageNone
			n.send(line)
		}
	case "CVR":
		n.send(cvrReply(trid, args))
	case "INF":
		switch n.dialect {
		case 0:
			return false
		case 7:
			n.send("INF " + trid + " MD5")
		default:
			n.errLine(502, trid)
		}
	case "USR":
		return n.usr(trid, args)
	case "QRY":
		return n.qry(trid, args, payload)
	case "SYN":
		return n.syn(trid, args)
	case "CHG":
		return n.chg(trid, args)
	case "XFR":
		n.xfr(trid, args)
	case "ADD":
		return n.add(trid, args)
	case "REM":
		return n.rem(trid, args)
	case "ADG":
		n.adg(trid, args)
	case "RMG":
		n.rmg(trid, args)
	case "REG":
		n.reg(trid, args)
	case "REA":
		n.rea(trid, args)
	case "PRP":
		return n.prp(trid, args)
	case "BLP":
		n.privacy(trid, args, "BLP")
	case "GTC":
		n.privacy(trid, args, "GTC")
	}
	return true // other commands are ignored
}

// knownNS reports whether verb is one the notification server implements.
func knownNS(verb string) bool {
	switch verb {
	case "VER", "CVR", "INF", "USR", "QRY":
		return true
	}
	return false
}

func (n *nsConn) signedIn() bool { return n.u != nil }

func (n *nsConn) finish() {
	n.s.signOff(n)
}

// usr handles the login steps.
func (n *nsConn) usr(trid string, args []string) bool {
	if n.dialect == 0 {
		return false
	}
	if n.u != nil {
		n.errLine(207, trid)
		return true
	}
	if len(args) < 3 {
		return false
	}
	pkg, step, arg := args[0], args[1], args[2]
	if (pkg == "MD5") != (n.dialect == 7) || (pkg != "MD5" && pkg != "TWN") {
		n.errLine(502, trid)
		return true
	}
	switch {
	case pkg == "MD5" && step == "I":
		u := n.s.users[lower(arg)]
		if u == nil || u.passportOnly {
			n.stage = stageNone
			n.errLine(911, trid)
			return true
		}
		n.stage, n.pending = stageMD5, u
		n.send("USR " + trid + " MD5 S " + u.salt)
	case pkg == "MD5" && step == "S":
		u := n.pending
		n.stage, n.pending = stageNone, nil
		if u == nil || !md5Matches(u.salt+u.password, arg) {
			n.errLine(911, trid)
			return true
		}
		n.signOn(trid, u)
	case step == "I":
		n.stage = stageTWN
		n.send("USR " + trid + " TWN S " + twnChallenge)
	case step == "S":
		ok := n.stage == stageTWN
		n.stage = stageNone
		var u *user
		if ok {
			u = n.s.redeem(ticketOf(arg))
		}
		if u == nil {
			n.errLine(911, trid)
			return true
		}
		n.signOn(trid, u)
	default:
		return false
	}
	return true
}

// signOn completes a login: an older session of the account is signed out
// with "OUT OTH".
func (n *nsConn) signOn(trid string, u *user) {
	if old := u.ns; old != nil {
		n.s.signOff(old)
		old.sendLast("OUT OTH")
	}
	u.ns, n.u = n, u
	if n.dialect == 8 {
		n.send("USR " + trid + " OK " + u.email + " " + encodeName(u.name) + " 1 0")
	} else {
		n.send("USR " + trid + " OK " + u.email + " " + encodeName(u.name))
	}
	if n.s.cfg.Challenge {
		n.chl = randDigits(20)
		n.send("CHL 0 " + n.chl)
	}
}

// qry checks the answer to a CHL challenge.
func (n *nsConn) qry(trid string, args []string, payload []byte) bool {
	want := md5.Sum([]byte(n.chl + qryKey))
	ok := n.chl != "" && len(args) == 2 && args[0] == qryClientID &&
		subtle.ConstantTimeCompare([]byte(hex.EncodeToString(want[:])), payload) == 1
	n.chl = ""
	if !ok {
		n.sendLast("540 " + trid)
		return false
	}
	n.send("QRY " + trid)
	return true
}

// xfr hands out a switchboard cookie.
func (n *nsConn) xfr(trid string, args []string) {
	if len(args) < 1 || args[0] != "SB" {
		n.errLine(201, trid)
		return
	}
	if n.status == "HDN" {
		n.errLine(913, trid)
		return
	}
	cookie, ok := n.s.newCookie(sbCookie{email: n.u.email, owner: n.u.email, expires: n.s.now().Add(xfrCookieLife)})
	if !ok {
		n.errLine(800, trid) // too many switchboards asked for at once
		return
	}
	n.send("XFR " + trid + " SB " + n.s.sbAdvertised(n.nc.LocalAddr()) + " CKI " + cookie)
}

// md5Matches compares hex(md5(in)) with the client's hash.
func md5Matches(in, got string) bool {
	sum := md5.Sum([]byte(in))
	return subtle.ConstantTimeCompare([]byte(hex.EncodeToString(sum[:])), []byte(strings.ToLower(got))) == 1
}

// ticketOf extracts the ticket from "t=<ticket>&p=<profile>" or a bare ticket.
func ticketOf(arg string) string {
	if t, ok := strings.CutPrefix(arg, "t="); ok {
		t, _, _ = strings.Cut(t, "&")
		return t
	}
	return arg
}

func lower(s string) string { return strings.ToLower(s) }
