package server

import (
	"net"
	"sync/atomic"
)

// Stats is a snapshot of what the server has served since it started,
// by kind of connection: the dispatch server (DS), the notification
// server (NS), the switchboard (SB) and Passport over HTTPS, whose bytes
// are counted on the wire (TLS records, handshakes included).
type Stats struct {
	DS, NS, SB, HTTPS ConnStats
	// Nexus and Login count the Passport requests: the nexus lookups and
	// the logins (refused ones included).
	Nexus, Login int64
}

// ConnStats counts the connections of one kind: those accepted, those
// still open, the command lines read and the writes queued (a line, with
// its payload if it has one) written or tried, and the bytes each way.
// HTTPS has no lines.
type ConnStats struct {
	Accepted, Open    int64
	LinesIn, LinesOut int64
	BytesIn, BytesOut int64
}

// Sub returns the counts of s less those of before (Open is s's), for
// the cost of what happened between two snapshots.
func (s Stats) Sub(before Stats) Stats {
	return Stats{
		DS: s.DS.sub(before.DS), NS: s.NS.sub(before.NS), SB: s.SB.sub(before.SB), HTTPS: s.HTTPS.sub(before.HTTPS),
		Nexus: s.Nexus - before.Nexus, Login: s.Login - before.Login,
	}
}

func (c ConnStats) sub(b ConnStats) ConnStats {
	return ConnStats{
		Accepted: c.Accepted - b.Accepted, Open: c.Open,
		LinesIn: c.LinesIn - b.LinesIn, LinesOut: c.LinesOut - b.LinesOut,
		BytesIn: c.BytesIn - b.BytesIn, BytesOut: c.BytesOut - b.BytesOut,
	}
}

// Total adds the counts of every kind of connection.
func (s Stats) Total() ConnStats {
	var t ConnStats
	for _, c := range []ConnStats{s.DS, s.NS, s.SB, s.HTTPS} {
		t.Accepted += c.Accepted
		t.Open += c.Open
		t.LinesIn += c.LinesIn
		t.LinesOut += c.LinesOut
		t.BytesIn += c.BytesIn
		t.BytesOut += c.BytesOut
	}
	return t
}

// Stats returns what the server has served so far. The counters are
// updated with atomic adds as the traffic goes, so a snapshot taken while
// connections are busy may be mid-exchange.
func (s *Server) Stats() Stats {
	return Stats{
		DS: s.stats.kinds[kindDS].snapshot(), NS: s.stats.kinds[kindNS].snapshot(),
		SB: s.stats.kinds[kindSB].snapshot(), HTTPS: s.stats.kinds[kindHTTPS].snapshot(),
		Nexus: s.stats.nexus.Load(), Login: s.stats.login.Load(),
	}
}

// statKind indexes the counters of one kind of connection.
type statKind int

const (
	kindNS statKind = iota
	kindSB
	kindDS
	kindHTTPS
	numKinds
)

// kindOf is the counters' index of a connection role.
func kindOf(r role) statKind {
	switch r {
	case roleNS:
		return kindNS
	case roleSB:
		return kindSB
	default:
		return kindDS
	}
}

// serverStats holds the counters behind Stats.
type serverStats struct {
	kinds        [numKinds]kindCounters
	nexus, login atomic.Int64
}

// kindCounters are the live counters of one kind of connection.
type kindCounters struct {
	accepted, open    atomic.Int64
	linesIn, linesOut atomic.Int64
	bytesIn, bytesOut atomic.Int64
}

func (k *kindCounters) snapshot() ConnStats {
	return ConnStats{
		Accepted: k.accepted.Load(), Open: k.open.Load(),
		LinesIn: k.linesIn.Load(), LinesOut: k.linesOut.Load(),
		BytesIn: k.bytesIn.Load(), BytesOut: k.bytesOut.Load(),
	}
}

// lineIn counts a command line read from a connection of role r.
func (st *serverStats) lineIn(r role) { st.kinds[kindOf(r)].linesIn.Add(1) }

// linesOut counts n lines (a line with its payload counts one) about
// to go to a connection of role r.
func (st *serverStats) linesOut(r role, n int64) { st.kinds[kindOf(r)].linesOut.Add(n) }

// countConn returns nc counting its bytes, as a connection of kind k just
// accepted.
func (st *serverStats) countConn(nc net.Conn, k statKind) net.Conn {
	c := &st.kinds[k]
	c.accepted.Add(1)
	c.open.Add(1)
	return &countedConn{Conn: nc, c: c}
}

// countedConn is a net.Conn that adds its traffic to the counters of its
// kind and counts itself closed once.
type countedConn struct {
	net.Conn
	c      *kindCounters
	closed atomic.Bool
}

func (cc *countedConn) Read(b []byte) (int, error) {
	n, err := cc.Conn.Read(b)
	cc.c.bytesIn.Add(int64(n))
	return n, err
}

func (cc *countedConn) Write(b []byte) (int, error) {
	n, err := cc.Conn.Write(b)
	cc.c.bytesOut.Add(int64(n))
	return n, err
}

func (cc *countedConn) Close() error {
	if cc.closed.CompareAndSwap(false, true) {
		cc.c.open.Add(-1)
	}
	return cc.Conn.Close()
}

// countedListener counts the connections it accepts as kind k.
type countedListener struct {
	net.Listener
	st *serverStats
	k  statKind
}

func (l countedListener) Accept() (net.Conn, error) {
	nc, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return l.st.countConn(nc, l.k), nil
}
