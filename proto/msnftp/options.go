package msnftp

import (
	"errors"
	"time"
)

// Protocol constants and defaults.
const (
	// MaxBlock is the number of data bytes per block the sender writes.
	MaxBlock = 2045
	// ByeSuccess is the BYE code of a complete transfer.
	ByeSuccess = 16777989
	// MaxAttempts is the number of connections Send accepts before it
	// gives up on authentication.
	MaxAttempts = 5
	// DefaultIdle is the default for Options.Idle.
	DefaultIdle = 60 * time.Second
	// DefaultHandshake is the default for Options.Handshake.
	DefaultHandshake = 30 * time.Second
	// DefaultMinRate is the default for Options.MinRate, in bytes per
	// second.
	DefaultMinRate = 1024
	// DefaultRateWindow is the default for Options.RateWindow.
	DefaultRateWindow = 2 * time.Minute
)

// Transfer identifies one transfer; both sides know it from the
// invitation.
type Transfer struct {
	Handle string // the receiver's handle (e-mail), sent and expected in USR
	Cookie string // the AuthCookie, decimal digits
	Size   int64  // the announced size in bytes
}

// maxToken bounds the handle and the cookie, so a USR line stays far
// below the line limit.
const maxToken = 512

// check rejects a Transfer that cannot go on the wire. Its messages never
// repeat the cookie.
func (t Transfer) check() error {
	switch {
	case !isToken(t.Handle):
		return errors.New("msnftp: invalid transfer: the handle must be 1 to 512 bytes without spaces or control characters")
	case !isToken(t.Cookie):
		return errors.New("msnftp: invalid transfer: the cookie must be 1 to 512 bytes without spaces or control characters")
	case t.Size < 0:
		return errors.New("msnftp: invalid transfer: negative size")
	}
	return nil
}

// isToken reports whether s can be one field of a line.
func isToken(s string) bool {
	if len(s) == 0 || len(s) > maxToken {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c == 0x7f {
			return false
		}
	}
	return true
}

// Options tunes deadlines; the zero value means the defaults.
type Options struct {
	// Idle is the longest wait for any single read or write to make
	// progress (default DefaultIdle). After the last byte the sender
	// waits for BYE: at most Idle for each byte of it, and at most
	// Handshake in all.
	Idle time.Duration
	// Handshake bounds the whole VER/USR/FIL/TFR exchange, and the
	// sender's wait for BYE after the last byte (default
	// DefaultHandshake).
	Handshake time.Duration
	// MinRate and RateWindow set a throughput floor for the data phase:
	// if fewer than MinRate*RateWindow bytes move in a RateWindow, the
	// transfer fails with ErrTimeout. The defaults are DefaultMinRate
	// bytes per second over DefaultRateWindow; a negative MinRate
	// disables the floor.
	MinRate    int64
	RateWindow time.Duration
	// Commit, on the receiver, runs after the last byte is written to
	// the destination and before BYE is sent (for an fsync). If it fails,
	// the receiver sends CCL (or BYE ByeOutOfSpace if the error is
	// syscall.ENOSPC) and returns its error.
	Commit func() error
	// Progress, when set, is called on the transfer's goroutine with each
	// number of data bytes the sender has written to the connection or
	// the receiver to the destination (a progress line counts them).
	Progress func(n int64)
}

// withDefaults fills in the zero fields.
func (o Options) withDefaults() Options {
	if o.Idle <= 0 {
		o.Idle = DefaultIdle
	}
	if o.Handshake <= 0 {
		o.Handshake = DefaultHandshake
	}
	if o.MinRate == 0 {
		o.MinRate = DefaultMinRate
	}
	if o.RateWindow <= 0 {
		o.RateWindow = DefaultRateWindow
	}
	return o
}

// finalWait bounds a last best-effort message (CCL, a BYE failure code, a
// cancel block) and the grace for reading what the peer already sent.
func (o Options) finalWait() time.Duration { return min(o.Idle, time.Second) }
