// Package proto speaks the client side of the MSN Messenger protocol,
// versions MSNP8 (Passport 1.4 login) and MSNP7 (MD5 login): the dispatch
// server, the notification server and switchboards.
//
// # Connections
//
// Every notification or switchboard connection has one reader goroutine.
// Requests are matched to replies by transaction id (TrID): Go sends a
// command and returns a *Call at once, Call.Wait blocks for the reply, and
// the Call method does both. Several commands may be in flight on one
// connection, and GoAll writes several of them in one network write.
//
// When a connection ends, every pending call fails with the same error,
// which Err reports afterwards. Close returns only after the reader has
// exited.
//
// # Events
//
// Lines the server sends on its own (presence, list changes, invitations,
// messages) become values of the sealed Event interface, passed to
// Options.Handler on the reader goroutine in wire order. A handler must
// return quickly and must not wait for a server reply. Server challenges
// (CHL) are answered inside the package.
//
// # Errors
//
// Error replies become *ServerError, which matches the sentinel errors of
// this package with errors.Is (for example ErrAuthFailed for 911).
// Malformed or oversized server lines are *ProtocolError, matching
// ErrProtocol. The package never prints and never exits; Options.Debug
// receives a wire transcript with passwords and tickets redacted.
package proto
