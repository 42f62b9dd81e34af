package msnftp

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestSendConnBadStart: a receiver (or a stranger) that does not start
// with VER MSNFTP. One that closes without a word broke the connection
// before the data phase (ErrBroken), not the protocol.
func TestSendConnBadStart(t *testing.T) {
	for name, first := range map[string]string{
		"TFR before everything": "TFR\r\n",
		"USR before VER":        "USR " + testHandle + " " + testCookie + "\r\n",
		"VER MSNFTP2":           "VER MSNFTP2\r\n",
		"HTTP":                  "GET / HTTP/1.1\r\n",
		"garbage":               "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n",
		"20KB line":             strings.Repeat("A", 20<<10),
		"closed":                "",
	} {
		t.Run(name, func(t *testing.T) {
			err := sendTo(t, testTransfer(10), newPattern(10), fast, func(f *fake) error {
				if first == "" {
					return nil
				}
				if err := f.send(first); err != nil {
					return err
				}
				return f.expectEnd("")
			})
			want := ErrProtocol
			if first == "" {
				want = ErrBroken
			}
			wantErr(t, err, want)
		})
	}
}

// TestSendConnOutOfOrder: commands out of their place.
func TestSendConnOutOfOrder(t *testing.T) {
	for name, script := range map[string][]string{
		"TFR before USR": {"VER MSNFTP\r\n", "<VER MSNFTP", "TFR\r\n"},
		"FIL from the receiver": {"VER MSNFTP\r\n", "<VER MSNFTP",
			"USR " + testHandle + " " + testCookie + "\r\n", "<FIL 10", "FIL 10\r\n"},
		"USR twice": {"VER MSNFTP\r\n", "<VER MSNFTP",
			"USR " + testHandle + " " + testCookie + "\r\n", "<FIL 10", "USR " + testHandle + " " + testCookie + "\r\n"},
		"USR with 2 fields": {"VER MSNFTP\r\n", "<VER MSNFTP", "USR " + testHandle + "\r\n"},
	} {
		t.Run(name, func(t *testing.T) {
			err := sendTo(t, testTransfer(10), newPattern(10), fast, func(f *fake) error {
				for _, step := range script {
					var err error
					if want, ok := strings.CutPrefix(step, "<"); ok {
						err = f.expect(want)
					} else {
						err = f.send(step)
					}
					if err != nil {
						return err
					}
				}
				return f.expectEnd("")
			})
			wantErr(t, err, ErrProtocol)
		})
	}
}

// TestSendConnTFRTwice: a second TFR during the data phase.
func TestSendConnTFRTwice(t *testing.T) {
	const size = 64 << 20
	err := sendTo(t, testTransfer(size), newPattern(size), fast, func(f *fake) error {
		if err := f.receiverHandshake(testHandle, testCookie, size); err != nil {
			return err
		}
		if err := f.send("TFR\r\n"); err != nil {
			return err
		}
		f.rest()
		return nil
	})
	wantErr(t, err, ErrProtocol)
}

// TestSendConnAuth: wrong handle or cookie closes the connection before
// FIL; the handle is compared without case.
func TestSendConnAuth(t *testing.T) {
	for _, tc := range []struct {
		name, handle, cookie string
		ok                   bool
	}{
		{"right", testHandle, testCookie, true},
		{"handle case", "Bob@Example.COM", testCookie, true},
		{"wrong handle", "eve@example.com", testCookie, false},
		{"wrong cookie", testHandle, "1618034", false},
		{"cookie prefix", testHandle, "161803", false},
		{"cookie longer", testHandle, "16180339", false},
		{"fields swapped", testCookie, testHandle, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := sendTo(t, testTransfer(3), newPattern(3), fast, func(f *fake) error {
				for _, step := range []func() error{
					func() error { return f.send("VER MSNFTP\r\n") },
					func() error { return f.expect("VER MSNFTP") },
					func() error { return f.send("USR " + tc.handle + " " + tc.cookie + "\r\n") },
				} {
					if err := step(); err != nil {
						return err
					}
				}
				if !tc.ok {
					return f.expectEnd("")
				}
				if err := f.expect("FIL 3"); err != nil {
					return err
				}
				if err := f.send("TFR\r\n"); err != nil {
					return err
				}
				if _, err := f.readPayload(3); err != nil {
					return err
				}
				return f.send("BYE 16777989\r\n")
			})
			if tc.ok {
				if err != nil {
					t.Fatalf("SendConn: %v", err)
				}
				return
			}
			wantErr(t, err, ErrAuth)
			if strings.Contains(err.Error(), testCookie[:6]) {
				t.Errorf("the error %q shows a cookie", err)
			}
		})
	}
}

// TestSendConnSilent: a connection that never sends VER hits the
// handshake bound.
func TestSendConnSilent(t *testing.T) {
	opts := Options{Idle: 5 * time.Second, Handshake: 300 * time.Millisecond}
	var err error
	within(t, 2*time.Second, func() {
		err = sendTo(t, testTransfer(10), newPattern(10), opts, func(f *fake) error {
			f.rest()
			return nil
		})
	})
	wantErr(t, err, ErrTimeout)
}

// TestSendConnNoTFR: the receiver authenticates and then stalls.
func TestSendConnNoTFR(t *testing.T) {
	var err error
	within(t, 2*time.Second, func() {
		err = sendTo(t, testTransfer(10), newPattern(10), fast, func(f *fake) error {
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
			f.rest()
			return nil
		})
	})
	wantErr(t, err, ErrTimeout)
}

// TestSendConnStopsReading: the receiver stops reading; the write
// deadline ends the transfer.
func TestSendConnStopsReading(t *testing.T) {
	const size = 1 << 30
	var err error
	within(t, 3*time.Second, func() {
		err = sendTo(t, testTransfer(size), newPattern(size), fast, func(f *fake) error {
			if err := f.receiverHandshake(testHandle, testCookie, size); err != nil {
				return err
			}
			time.Sleep(time.Second)
			return nil
		})
	})
	wantErr(t, err, ErrTimeout)
}

// TestSendConnUnconfirmed: every byte arrives but no BYE comes: a
// receiver that stays silent is also a timeout, one that closes is not.
func TestSendConnUnconfirmed(t *testing.T) {
	for name, closeIt := range map[string]bool{"silent": false, "closes": true} {
		t.Run(name, func(t *testing.T) {
			const size = 5000
			var err error
			within(t, 2*time.Second, func() {
				err = sendTo(t, testTransfer(size), newPattern(size), fast, func(f *fake) error {
					if err := f.receiverHandshake(testHandle, testCookie, size); err != nil {
						return err
					}
					if _, err := f.readPayload(size); err != nil {
						return err
					}
					if !closeIt {
						f.rest()
					}
					return nil
				})
			})
			wantErr(t, err, ErrUnconfirmed)
			if errors.Is(err, ErrTimeout) != !closeIt {
				t.Errorf("error %v: matches ErrTimeout %v, want %v", err, errors.Is(err, ErrTimeout), !closeIt)
			}
		})
	}
}

// TestSendConnReceiverEnds: the receiver's answers during and after the
// data.
func TestSendConnReceiverEnds(t *testing.T) {
	for _, tc := range []struct {
		name    string
		size    int64
		after   int64  // payload bytes read before answering
		answer  string // "" closes
		wantErr error
		wantBye uint32
	}{
		{"CCL mid-transfer", 64 << 20, 100000, "CCL\r\n", ErrCancelled, 0},
		{"CCL at the end", 5000, 5000, "CCL\r\n", ErrCancelled, 0},
		{"CCL before TFR", 0, -1, "CCL\r\n", ErrCancelled, 0},
		{"close mid-transfer", 64 << 20, 100000, "", ErrIncomplete, 0},
		{"out of space mid-transfer", 64 << 20, 100000, fmt.Sprintf("BYE %d\r\n", ByeOutOfSpace), nil, ByeOutOfSpace},
		{"out of space at the end", 5000, 5000, fmt.Sprintf("BYE %d\r\n", ByeOutOfSpace), nil, ByeOutOfSpace},
		{"timed out", 5000, 5000, fmt.Sprintf("BYE %d\r\n", ByeTimedOut), ErrTimeout, ByeTimedOut},
		{"unknown code", 5000, 5000, "BYE 42\r\n", nil, 42},
		{"early BYE success", 64 << 20, 100000, "BYE 16777989\r\n", ErrProtocol, 0},
		{"bad BYE", 5000, 5000, "BYE -1\r\n", ErrProtocol, 0},
		{"BYE overflow", 5000, 5000, "BYE 4294967296\r\n", ErrProtocol, 0},
		{"junk after the data", 5000, 5000, "HELLO\r\n", ErrProtocol, 0},
		{"empty lines then BYE", 5000, 5000, "\r\n\r\nBYE 16777989\r\n", nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			within(t, 3*time.Second, func() {
				err = sendTo(t, testTransfer(tc.size), newPattern(tc.size), fast, func(f *fake) error {
					if tc.after < 0 {
						for _, step := range []func() error{
							func() error { return f.send("VER MSNFTP\r\n") },
							func() error { return f.expect("VER MSNFTP") },
							func() error { return f.send("USR " + testHandle + " " + testCookie + "\r\n") },
							func() error { return f.expect(fmt.Sprintf("FIL %d", tc.size)) },
						} {
							if err := step(); err != nil {
								return err
							}
						}
					} else {
						if err := f.receiverHandshake(testHandle, testCookie, tc.size); err != nil {
							return err
						}
						if _, err := f.readPayload(tc.after); err != nil {
							return err
						}
					}
					if tc.answer == "" {
						return nil
					}
					return f.send(tc.answer)
				})
			})
			switch {
			case tc.wantBye != 0:
				var be *ByeError
				if !errors.As(err, &be) || be.Code != tc.wantBye {
					t.Fatalf("SendConn: %v, want BYE %d", err, tc.wantBye)
				}
				if tc.wantErr != nil {
					wantErr(t, err, tc.wantErr)
				}
			case tc.wantErr == nil:
				if err != nil {
					t.Fatalf("SendConn: %v", err)
				}
			default:
				wantErr(t, err, tc.wantErr)
			}
		})
	}
}

func TestSendConnInvalidTransfer(t *testing.T) {
	a, b := tcpPair(t)
	b.Close()
	err := SendConn(testCtx(t), a, Transfer{Handle: testHandle, Cookie: "1 2", Size: 1}, bytes.NewReader(nil), fast)
	if err == nil || strings.Contains(err.Error(), "1 2") {
		t.Fatalf("SendConn: %v, want an invalid-transfer error without the cookie", err)
	}
}
