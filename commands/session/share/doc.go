// Package share lets every command of an account run through one
// signed-in session: MSNP7 and MSNP8 allow one session per account, and a
// second sign-in ends the first. The command that holds the session (a
// Holder) serves it on a Unix socket; every other command of that account
// connects as a Client and runs its notification-server requests through
// the holder's connection, while opening and answering its own
// switchboards.
//
// The socket lives in a 0700 directory (Dir), is 0600, and each side
// checks the other's user id (SO_PEERCRED) before reading anything. The
// protocol on it is small and versioned: the holder greets with
// "msn-share VERSION", then both sides exchange JSON objects, one per
// line, every line bounded. See wire.go.
//
// Map of the package:
//
//	doc.go          this map
//	wire.go         the frames and their bounded reader and writer
//	errors.go       errors across the socket, kept typed for exit codes
//	events.go       notification events across the socket
//	socket.go       where the socket is, listening, stale sockets
//	peercred_*.go   the peer's user id (Linux, macOS, FreeBSD; elsewhere none)
//	owner_*.go      the owner of the socket directory
//	lock_*.go       the socket directory's lock, for stale sockets
//	holder.go       Holder: serves a live session to clients
//	peer.go         one client connection of a Holder
//	client.go       Client: a command's view of a shared session
//
// Where a new file goes: anything about the socket and its protocol
// belongs here; what a session is (login, list, presence) belongs in
// package session, which imports this one. This package imports proto,
// never session or commands.
package share
