// Package engine is the ground floor of package proto: the wire codec
// (Command, the bounded line Reader, the per-verb TrID table), the
// redacting wire Transcript, and Conn, which owns one connection's reader
// goroutine, its pending calls keyed by TrID, its keyed waiters and its
// write path.
//
// Nothing else opens a Conn: notification and switchboard connections
// (packages proto and proto/switchboard) send and wait only through its
// methods, and receive server lines through the callbacks of Config.
//
// # Where a file goes
//
// A file belongs here only when it is about lines and connections in
// general, for every kind of MSN server: framing, TrIDs, the write path,
// waiting. Anything that knows what a verb means to the notification
// server or to a switchboard goes in proto or proto/switchboard.
package engine
