// Package server is a small, self-contained MSN world for tests, demos and
// "msn serve": an optional dispatch server, a notification server and a
// switchboard speaking MSNP7 and MSNP8 over TCP, and a Passport 1.4 nexus and
// login service over HTTPS with its own self-signed certificate authority.
//
// Its behaviour follows recordings of a real revival server; it keeps all
// state in memory and reads the wire with its own bounded reader, sharing no
// code with the client packages.
//
// A client that misbehaves is answered with an error code or disconnected,
// never at the cost of other users: lines are capped at 16 KiB and payloads
// at their verb's limit, a malformed line or a payload length that cannot be
// trusted closes the connection, a client that does not read its replies is
// dropped when its queue fills (1024 replies or 8 MiB; a whole contact list
// is one reply, however long) or when one write waits 10 seconds (a
// conversation holds a sender back while a recipient's queue is half
// full, so that a slow reader is not dropped for a fast writer), a
// connection that has not signed in (or joined a conversation) within a
// minute is closed, and one
// user's requests hold at most 256 switchboard cookies at a time (XFR SB and
// CAL beyond that are answered 800).
package server
