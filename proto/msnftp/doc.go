// Package msnftp implements MSNFTP, the peer-to-peer file transfer of MSN
// Messenger (the "MSNC0" transfer negotiated with a text/x-msmsgsinvite
// invitation): Send and SendConn run the sending side, Receive the
// receiving side, and Dial connects to the address an invitation names.
//
// # Roles
//
// The invitation tells both sides the receiver's handle, the AuthCookie
// (see NewCookie) and the file size; Transfer carries the three. One side
// listens and the other connects. Usually the sender listens (Send serves a
// net.Listener and closes it as soon as one connection has authenticated),
// but with Sender-Connect the sender dials and runs SendConn. Whichever side
// connected, the receiver speaks first:
//
//	R→S  VER MSNFTP
//	S→R  VER MSNFTP
//	R→S  USR <receiver-handle> <AuthCookie>
//	S→R  FIL <size>
//	R→S  TFR
//	S→R  blocks, until size bytes have been sent
//	R→S  BYE 16777989
//
// Lines end with CRLF (a bare LF is accepted) and carry no transaction ids.
// The sender checks the handle case-insensitively and the cookie in
// constant time, and closes a connection that fails either; Send then
// accepts the next one, up to MaxAttempts connections. The cookie never
// appears in an error message.
//
// # Framing
//
// After TFR the sender writes blocks: a 3-byte header (byte 0 is 0x00 for
// data, bytes 1 and 2 the payload length, little-endian) followed by the
// payload. The sender writes at most MaxBlock bytes per block, many blocks
// per network write; the receiver accepts any length from 0 to 65535 but
// never more than remain of the announced size, so nothing past the size is
// ever written to the destination. A zero-length block is a no-op. There is
// no terminating block: the transfer ends when size bytes have arrived, and
// anything that follows is ignored. A header whose first byte is not zero
// (the sender writes 01 00 00) cancels the transfer; the receiver cancels
// with the line CCL. The receiver says BYE only after its data is committed
// (Options.Commit, for example an fsync); a BYE with another code than
// ByeSuccess is a *ByeError.
//
// # Limits
//
// Memory does not grow with the file: the sender reads the source into one
// reusable batch buffer and the receiver reads through one buffered reader
// and gathers payloads into one buffer, each 1 MiB. A line
// longer than 4 KiB is a protocol error. Every read and write has a
// deadline (Options.Idle, refreshed on progress), the handshake has an
// overall bound (Options.Handshake), the data phase a throughput floor
// (Options.MinRate over Options.RateWindow), and a cancelled context
// unblocks any pending I/O at once. A source that blocks in Read cannot be
// interrupted by the context; it is read only between network writes.
//
// # Errors
//
// Errors match the sentinels of this package with errors.Is: ErrProtocol
// (and ErrOverrun for a block past the announced size), ErrAuth, ErrCancelled,
// ErrBroken, ErrIncomplete (a *IncompleteError with the byte counts),
// ErrUnconfirmed, ErrTimeout and ErrSourceShort. A cancelled context yields
// an error that matches the context's error, so an interrupt stays
// recognisable. The package never prints and never exits.
//
// The same network failure is classified the same way whatever the timing.
// The connection breaking (closed at a line end or in the middle of a line,
// reset) is ErrBroken during the handshake, which ends for the sender when it
// has read TFR and for the receiver when it has written TFR; the one
// exception is a sender closing the connection right after USR, which is how
// it refuses the cookie (ErrAuth for the receiver). From the data phase on,
// the same failures are ErrIncomplete, or for a sender that wrote every byte,
// ErrUnconfirmed. A stall is ErrTimeout in every phase; a BYE that does not
// come in time matches both ErrUnconfirmed and ErrTimeout.
package msnftp
