// Package proto speaks the client side of the MSN Messenger protocol,
// versions MSNP8 (Passport 1.4 login) and MSNP7 (MD5 login): the dispatch
// server and the notification server. Switchboards (conversations) are
// package proto/switchboard's.
//
// # Connections
//
// Every notification or switchboard connection has one reader goroutine,
// run by the engine (proto/internal/engine). Requests are matched to
// replies by transaction id (TrID), and several may be in flight on one
// connection. The public surface is typed methods: Login, then methods
// of Notification (SetStatus, Sync, AddContact, ...). Each takes a
// context first; the context bounds both the write and the wait.
// Commands that may go out together do (VER, CVR and USR; CHG and XFR;
// CHG and PNG). Package proto/switchboard opens and answers
// conversations through the few methods of Notification it needs
// (switchboards.go): Handle, RequestSwitchboard, ReferralPolicy, Dial,
// Debug and Protocol.
//
// When a connection ends, every pending request fails with the same
// error, which Err reports afterwards. Close returns only after the
// reader has exited, with the error that ended the connection, or nil
// when it was up until Close or ended in order.
//
// # Events
//
// Lines the server sends on its own (presence, list changes, rings,
// notices) become values of the sealed Event interface, passed to
// Options.Handler on the reader goroutine in wire order. A handler must
// return quickly and must not wait for a server reply. Server challenges
// (CHL) are answered inside the package.
//
// # Errors
//
// Error replies become *ServerError, which matches the sentinel errors of
// this package with errors.Is (for example ErrAuthFailed for 911).
// Malformed or oversized server lines are *ProtocolError, matching
// ErrProtocol; a malformed line fails at once the request it may have
// answered. The network failing is never a protocol error, whatever byte
// it hits: a connection cut in the middle of a line is ErrCutOff, and a
// line stalled part way or a keep-alive ping left unanswered is
// ErrServerSilent, both temporary. Errors name no command-line flags: typed errors such as
// *VersionError and *PrivateAddressError carry what a caller needs to
// advise the user. The package never prints and never exits;
// Options.Debug receives a wire transcript with passwords and tickets
// redacted.
//
// # Map
//
// The parts of the client, from the ground up:
//
//	proto/internal/engine  codec, bounded reader, verb table, connection
//	                       engine (pending calls, keyed waiters, writes)
//	proto/secret           strings that never print (passwords, tickets)
//	proto/passport         Passport 1.4 login for MSNP8
//	proto                  dispatch and login, the notification connection,
//	                       contact lists, presence, profile
//	proto/switchboard      conversations: messages, typing, invitations
//	proto/msnftp           MSNFTP file transfer, after an invitation
//	proto/msntest          scripted peers for tests (golden transcripts)
//	proto/server           the local MSN world for tests, serve and demo
//
// Files of this package, by part: login.go, passport.go, challenge.go and
// addr.go (dispatch and sign-in); notification.go, options.go, events.go,
// status.go and presence.go (the notification connection); contactlist.go,
// listops.go, groupops.go, listwire.go, listchange.go and sync*.go
// (contact lists); profileops.go (your own profile); message.go (the
// MIME message format of MSG payloads); switchboards.go (what package
// proto/switchboard needs of a notification connection); command.go and
// errors.go (names re-exported from the engine and the package's
// errors).
//
// # Where a new file goes
//
// Framing, TrIDs, writes and waiting for replies belong to the engine:
// nothing here opens an engine.Conn, it only calls its methods. A file
// that gives a notification-server verb its meaning goes here, named for
// its part (list*, sync*, presence, profile*); a file about
// conversations goes in proto/switchboard. Anything that is not MSNP
// goes in its own package beside this one (passport, msnftp). A file
// holds one purpose: a new feature gets a new file rather than a section
// in an old one.
package proto
