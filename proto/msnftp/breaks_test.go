package msnftp

import (
	"errors"
	"fmt"
	"net"
	"testing"
	"time"
)

// The rule these tests hold: the network breaking (a close at a line
// end or in the middle of a line, a reset) is ErrBroken during the
// handshake, on both sides, and ErrIncomplete or ErrUnconfirmed once the
// data phase has begun (the sender has read TFR, the receiver has
// written it); a stall is ErrTimeout in every phase.

// reset closes c with a TCP RST.
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}

// TestSendConnBreaksBeforeTFR: the receiver's side ends, in every way the
// network can end it, while the sender waits for TFR.
func TestSendConnBreaksBeforeTFR(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(f *fake) error
	}{
		{"closed", func(f *fake) error { return nil }},
		{"cut in the middle of TFR", func(f *fake) error { return f.send("TF") }},
		{"reset", func(f *fake) error { reset(f.c); return nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := sendTo(t, testTransfer(10), newPattern(10), fast, func(f *fake) error {
				for _, step := range []func() error{
					func() error { return f.send("VER MSNFTP\r\n") },
					func() error { return f.expect("VER MSNFTP") },
					func() error { return f.send("USR " + testHandle + " " + testCookie + "\r\n") },
					func() error { return f.expect("FIL 10") },
				} {
					if err := step(); err != nil {
						return err
					}
				}
				return tc.end(f)
			})
			wantErr(t, err, ErrBroken)
			if errors.Is(err, ErrProtocol) || errors.Is(err, ErrIncomplete) {
				t.Errorf("error %v also matches a protocol error or an incomplete transfer", err)
			}
		})
	}
}

// TestReceiveBreaksBeforeTFR: the sender's side ends in the middle of
// FIL, or with a reset; a close right after USR stays the sender's way
// of refusing the cookie (ErrAuth).
func TestReceiveBreaksBeforeTFR(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(f *fake) error
		want error
	}{
		{"cut in the middle of FIL", func(f *fake) error { return f.send("FIL 1") }, ErrBroken},
		{"reset", func(f *fake) error { reset(f.c); return nil }, ErrBroken},
		{"closed after USR", func(f *fake) error { return nil }, ErrAuth},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := receiveFrom(t, 10, fast, func(f *fake) error {
				for _, step := range []func() error{
					func() error { return f.expect("VER MSNFTP") },
					func() error { return f.send("VER MSNFTP\r\n") },
					func() error { return f.expect("USR " + testHandle + " " + testCookie) },
				} {
					if err := step(); err != nil {
						return err
					}
				}
				return tc.end(f)
			})
			wantErr(t, err, tc.want)
		})
	}
}

// TestSendConnByeTrickles: a BYE that arrives a byte at a time, each
// within Idle, is taken when it is whole within Handshake of the last
// byte of data; one that trickles longer times out.
func TestSendConnByeTrickles(t *testing.T) {
	bye := fmt.Sprintf("BYE %d\r\n", ByeSuccess)
	for _, tc := range []struct {
		name  string
		pause time.Duration // between the bytes of BYE
		opts  Options
		want  error
	}{
		{"whole in time", 50 * time.Millisecond, Options{Idle: 200 * time.Millisecond, Handshake: 2 * time.Second}, nil},
		{"too slow in all", 50 * time.Millisecond, Options{Idle: 200 * time.Millisecond, Handshake: 300 * time.Millisecond}, ErrTimeout},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const size = 5000
			err := sendTo(t, testTransfer(size), newPattern(size), tc.opts, func(f *fake) error {
				if err := f.receiverHandshake(testHandle, testCookie, size); err != nil {
					return err
				}
				if _, err := f.readPayload(size); err != nil {
					return err
				}
				for i := range len(bye) {
					if err := f.send(bye[i : i+1]); err != nil {
						return nil // the sender gave up: the test judges its error
					}
					time.Sleep(tc.pause)
				}
				return nil
			})
			if tc.want == nil {
				if err != nil {
					t.Fatalf("SendConn: %v", err)
				}
				return
			}
			wantErr(t, err, tc.want)
			wantErr(t, err, ErrUnconfirmed)
		})
	}
}
