// Package server is a small, self-contained MSN world for tests, demos and
// "msn serve": an optional dispatch server, a notification server and a
// switchboard speaking MSNP7 and MSNP8 over TCP, and a Passport 1.4 nexus and
// login service over HTTPS with its own self-signed certificate authority.
//
// Its behaviour follows recordings of a real revival server; it keeps all
// state in memory and reads the wire with its own bounded reader, sharing no
// code with the client packages.
package server
