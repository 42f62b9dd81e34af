// Package msntest plays scripted MSN servers and peers against a client,
// for tests. A script is a golden transcript: "C:" lines the client must
// send, "S:" lines the script answers with.
//
// Script syntax, one step per line:
//
//	# comment
//	C: VER $1 MSNP8 CVR0      the client must send this; $1 binds to the TrID it used
//	S: VER $1 MSNP8           sent to the client, with bound values substituted
//	C: USR $4 TWN S *         * matches any one field
//	S: MSG Hotmail Hotmail *  * as the last field of a payload line is the payload length
//	| MIME-Version: 1.0       payload lines; joined with CRLF
//	|                         an empty payload line (ends the header block)
//	S: raw "QNG\n"            bytes sent exactly as the Go string literal says
//	close                     the script closes the connection
//	C: EOF                    the client must close the connection
//	sleep 10ms                pause
//
// A payload's last line gets no CRLF unless a "|" line ends with "\r\n"
// written as "|+": the text followed by CRLF.
//
// # Counting round trips
//
// A LatencyProxy delays every chunk of data it forwards by a fixed one-way
// delay, and counts round trips on a RoundClock from the order of what it
// forwards, not from wall time, so the count does not depend on the
// delay's size (a delay of a few milliseconds only keeps each round's
// deliveries apart from the scheduler's noise). The proxies in front of
// one client's servers share one clock; each chunk carries a round:
//
//   - A TCP connect is one round: the connection completes in the round
//     after the latest one the client had received on any connection.
//   - A chunk from the client carries the latest round the client had
//     received, on any of its connections, before the proxy read it (and
//     no less than its connection's completion): what the client sends can
//     depend on anything it has received.
//   - A chunk from the server carries one more than the latest chunk the
//     proxy had forwarded to the server on the same connection: the server
//     answers what reached it on that connection.
//
// What the server sends on a connection after the client has closed its
// side of it (the answer to a goodbye the client did not wait for) is
// not counted: the client has hung up. A client that half-closes and
// reads on would be counted short; msn does not.
//
// The count is the highest round reached. Pipelined commands share a
// round; each wait for an answer adds one. What a server does for one
// connection because of another (an invitation to a contact, the
// contact's joining) does not cross connections, so it is not counted: a
// contact who joins a conversation is a client of its own, counted on a
// clock of its own. LatencyWorld.Settle (or RoundClock.Reset) starts a
// count; connections opened before it are ignored.
package msntest
