package msntest

import "sync"

// RoundClock counts the round trips on the critical path of one client
// through the latency proxies that share it, by the rule in the package
// documentation. Its zero value is ready to use.
type RoundClock struct {
	mu      sync.Mutex
	gen     int // bumped by Reset and Rebase; older connections are ignored
	rebased int // the gen of the latest Rebase, which adopts older connections
	seen    int // the highest round delivered to the client
	max     int // the highest round reached
}

// Rounds returns the highest round reached since the clock started or was
// last reset: the number of round trips on the client's critical path.
func (c *RoundClock) Rounds() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.max
}

// Reset starts a new count at zero. Connections opened before it no
// longer count, in either direction, for as long as they stay open.
func (c *RoundClock) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.seen, c.max = 0, 0
}

// Rebase starts a new count at zero, like Reset, except that connections
// opened before it go on counting, as if they had been opened at round
// zero: a long-lived connection (a shared session's) is part of the next
// operation's critical path. Call it while no traffic is in flight.
func (c *RoundClock) Rebase() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.rebased = c.gen
	c.seen, c.max = 0, 0
}

// adopt brings a connection opened before the latest Rebase into the
// count. The clock's lock is held.
func (rc *roundConn) adopt() {
	c := rc.clock
	if rc.gen < c.gen && c.rebased == c.gen {
		rc.gen, rc.established, rc.sent = c.gen, 0, 0
	}
}

// roundConn is the clock's view of one forwarded connection.
type roundConn struct {
	clock       *RoundClock
	gen         int
	established int // the round the TCP connect completes in
	sent        int // the round of the latest chunk forwarded to the server
	hungUp      bool
}

// hangUp records that the client has closed its side of the connection:
// what the server sends after that (the answer to a goodbye the client
// did not wait for) reaches no one waiting, and is not counted.
func (rc *roundConn) hangUp() {
	c := rc.clock
	c.mu.Lock()
	defer c.mu.Unlock()
	rc.hungUp = true
}

// connect registers a connection the client has just opened: the
// connect is one round on top of what the client has received so far.
func (c *RoundClock) connect() *roundConn {
	c.mu.Lock()
	defer c.mu.Unlock()
	rc := &roundConn{clock: c, gen: c.gen, established: c.seen + 1, sent: c.seen}
	c.max = max(c.max, rc.established)
	return rc
}

// fromClient returns the round of a chunk just read from the client: the
// latest round the client had received on any of its connections, and no
// earlier than the connection's own completion.
func (rc *roundConn) fromClient() int {
	c := rc.clock
	c.mu.Lock()
	defer c.mu.Unlock()
	rc.adopt()
	return max(c.seen, rc.established)
}

// toServer records that a chunk of the given round is being forwarded to
// the server.
func (rc *roundConn) toServer(round int) {
	c := rc.clock
	c.mu.Lock()
	defer c.mu.Unlock()
	rc.adopt()
	if rc.gen == c.gen {
		rc.sent = max(rc.sent, round)
	}
}

// fromServer returns the round of a chunk just read from the server: one
// more than the latest chunk forwarded to the server on this connection.
func (rc *roundConn) fromServer() int {
	c := rc.clock
	c.mu.Lock()
	defer c.mu.Unlock()
	rc.adopt()
	return rc.sent + 1
}

// toClient records that a chunk of the given round is being delivered to
// the client.
func (rc *roundConn) toClient(round int) {
	c := rc.clock
	c.mu.Lock()
	defer c.mu.Unlock()
	rc.adopt()
	if rc.gen == c.gen && !rc.hungUp {
		c.seen = max(c.seen, round)
		c.max = max(c.max, round)
	}
}
