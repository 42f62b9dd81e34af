// Package proto speaks the client side of the MSN Messenger protocol,
// versions MSNP8 (Passport 1.4 login) and MSNP7 (MD5 login): the dispatch
// server, the notification server and switchboards.
//
// # Connections
//
// Every notification or switchboard connection has one reader goroutine,
// run by the engine (proto/internal/engine). Requests are matched to
// replies by transaction id (TrID), and several may be in flight on one
// connection. The public surface is typed methods: Login, then methods
// of Notification (SetStatus, Sync, AddContact, Switchboard, ...) and of
// Switchboard (Invite, SendText, Go and GoText for messages whose
// acknowledgements are collected later). Each takes a context first;
// the context bounds both the write and the wait. Commands that may go
// out together do (VER, CVR and USR; CHG and XFR; CHG and PNG).
//
// When a connection ends, every pending request fails with the same
// error, which Err reports afterwards. Close returns only after the
// reader has exited, with the error that ended the connection, or nil
// when it was up until Close or ended in order.
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
// ErrProtocol. Errors name no command-line flags: typed errors such as
// *VersionError and *PrivateAddressError carry what a caller needs to
// advise the user. The package never prints and never exits;
// Options.Debug receives a wire transcript with passwords and tickets
// redacted.
package proto
