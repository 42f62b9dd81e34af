// Package session is the toolkit's session layer: what a command needs
// to be signed in to MSN, apart from parsing flags and printing.
//
// A command opens a Session for an account with Open (a short session:
// login with the cache, the contact list synced against the cached
// version), or with StayOnline (a long-running one: keep-alive, the
// saved presence, rings answered by an Answerer). MSN allows one session
// per account, so a long-running session is served to the account's
// other commands (Options.Hold), and Open returns a client of that
// session when one is held (package share carries it over a Unix
// socket); either way a command sees the notification server as a
// Server. A Caller keeps one
// conversation with a fixed set of recipients, logging in and opening a
// switchboard on first use. The package never prints and never exits:
// warnings go to Config.Warn, and errors are returned typed and wrapped
// so that commands/exitcode.go can map them to exit codes.
//
// Map of the package:
//
//	doc.go          this map
//	config.go       Config (what a session takes from the command's
//	                environment) and Options (how one login goes)
//	session.go      Session: Open, the contact list, Close
//	server.go       Server: the notification-server side a command uses
//	held.go         serving a session of its own to other commands
//	joined.go       a session through another process's shared one
//	login.go        the login flow: cached server, ticket and password,
//	                and what is saved afterwards
//	password.go     the password, read at most once and only when needed
//	list.go         the contact list: synced once, kept current, saved
//	presence.go     Presence: the one tracker of who is online
//	queue.go        Queue: the one bounded event queue
//	caller.go       Caller: the sending side of a conversation
//	answer.go       Answerer: answering rings, one goroutine each
//	slots.go        the Answerer's 16 slots: the idle bound, and which
//	                conversation is left when a ring finds them all taken
//	trouble.go      Trouble: what an Answerer could not do, or ended
//	online.go       Online: a long-running session that answers rings
//	errors.go       the package's error types
//	unreachable.go  Unreachable: a server that could not be reached
//
// Where a new file goes: a piece of signed-in behaviour that more than
// one command uses (or that a session holder will serve) belongs here,
// in a file named after what it is; anything that parses a flag, prints
// or picks an exit code belongs in commands. This package imports proto
// and keyring, never commands.
package session
