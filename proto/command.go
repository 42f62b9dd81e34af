package proto

import "msn/proto/internal/engine"

// Command is one protocol line, with its payload for payload commands
// (MSG, NOT, IPG, QRY).
type Command = engine.Command

// Protocol is a protocol version this package speaks.
type Protocol = engine.Protocol

// The supported protocol versions.
const (
	MSNP8 = engine.MSNP8
	MSNP7 = engine.MSNP7
)
