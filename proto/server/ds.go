package server

// dsConn is a dispatch server connection: it negotiates the version and
// refers the first "USR ... I" to the notification server.
type dsConn struct {
	*conn
	dialect int
}

func (d *dsConn) payload(f []string) (int, int, bool) {
	if f[0] == "MSG" || f[0] == "QRY" {
		return 0, 0, true
	}
	return -1, 0, false
}

func (d *dsConn) handle(f []string, _ []byte) bool {
	switch f[0] {
	case "PNG":
		d.send("QNG")
		return true
	case "OUT":
		d.sendLast("OUT")
		return false
	}
	if len(f) < 2 || !validTrID(f[1]) {
		return true
	}
	trid, args := f[1], f[2:]
	switch f[0] {
	case "VER":
		var line string
		line, d.dialect = negotiate(trid, args)
		d.send(line)
	case "CVR":
		d.send(cvrReply(trid, args))
	case "INF":
		switch d.dialect {
		case 0:
			return false
		case 7:
			d.send("INF " + trid + " MD5")
		default:
			d.errLine(502, trid)
		}
	case "USR":
		if d.dialect == 0 {
			return false
		}
		if len(args) < 3 || (args[0] != "TWN" && args[0] != "MD5") || args[1] != "I" {
			d.errLine(911, trid)
			return true
		}
		d.send("XFR " + trid + " NS " + advertise(d.nc.LocalAddr(), d.s.nsLn) + " 0 " + advertise(d.nc.LocalAddr(), d.s.dsLn))
	case "SYN", "CHG", "XFR", "ADD", "REM":
		return false
	}
	return true
}

func (d *dsConn) finish() {}

// signedIn is false: a dispatch connection only refers, so the sign-in
// deadline bounds its whole life.
func (d *dsConn) signedIn() bool { return false }
