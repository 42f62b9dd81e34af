package msnftp

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestReceiveBadVer: the sender's answer to VER is not MSNFTP.
func TestReceiveBadVer(t *testing.T) {
	for name, reply := range map[string]string{
		"MSNFTP2":    "VER MSNFTP2\r\n",
		"bare VER":   "VER\r\n",
		"other":      "FOO MSNFTP\r\n",
		"lowercase":  "ver msnftp\r\n",
		"empty":      "\r\n",
		"garbage":    "\x00\xff\xfe\x01VER MSNFTP\r\n",
		"20KB line":  "VER MSNFTP " + strings.Repeat("A", 20<<10) + "\r\n",
		"20KB no LF": strings.Repeat("\x00", 20<<10),
		"closed":     "",
	} {
		t.Run(name, func(t *testing.T) {
			n, _, err := receiveFrom(t, 10, fast, func(f *fake) error {
				if err := f.expect("VER MSNFTP"); err != nil {
					return err
				}
				if reply == "" {
					return nil
				}
				if err := f.send(reply); err != nil {
					return err
				}
				return f.expectEnd("") // no USR: the cookie stays home
			})
			want := ErrProtocol
			if reply == "" {
				want = ErrBroken // the network broke before the data phase
			}
			wantErr(t, err, want)
			if n != 0 {
				t.Errorf("wrote %d bytes", n)
			}
		})
	}
}

// TestReceiveVerVariants: any VER line with the MSNFTP token will do.
func TestReceiveVerVariants(t *testing.T) {
	for _, reply := range []string{"VER MSNFTP\n", "VER MSNP8 MSNFTP\r\n", "VER  MSNFTP \r\n"} {
		t.Run(reply, func(t *testing.T) {
			n, got, err := receiveFrom(t, 3, fast, func(f *fake) error {
				steps := []string{"VER MSNFTP", reply, "USR " + testHandle + " " + testCookie, "FIL 3\n", "TFR"}
				for i, s := range steps {
					var err error
					if i%2 == 0 {
						err = f.expect(s)
					} else {
						err = f.send(s)
					}
					if err != nil {
						return err
					}
				}
				if err := f.write(blk([]byte("abc"))); err != nil {
					return err
				}
				return f.expect("BYE 16777989")
			})
			if err != nil || n != 3 || string(got) != "abc" {
				t.Fatalf("Receive: %d %q %v", n, got, err)
			}
		})
	}
}

// TestReceiveBadFIL: a missing or malformed FIL, or one that differs from
// the invitation, is a protocol error and no TFR goes out.
func TestReceiveBadFIL(t *testing.T) {
	for _, line := range []string{
		"BYE 1", "FIL", "FIL -5", "FIL +5", "FIL abc", "FIL 1e9", "FIL 0x10",
		"FIL 99999999999999999999", "FIL 9223372036854775808", "FIL 10 20", "FIL 11", "FIL 9",
		"FIL 1\x000", "VER MSNFTP",
	} {
		t.Run(line, func(t *testing.T) {
			_, _, err := receiveFrom(t, 10, fast, func(f *fake) error {
				for _, step := range []func() error{
					func() error { return f.expect("VER MSNFTP") },
					func() error { return f.send("VER MSNFTP\r\n") },
					func() error { return f.expect("USR " + testHandle + " " + testCookie) },
					func() error { return f.send(line + "\r\n") },
				} {
					if err := step(); err != nil {
						return err
					}
				}
				return f.expectEnd("")
			})
			wantErr(t, err, ErrProtocol)
		})
	}
}

// TestReceiveAuthRejected: the sender closes right after USR.
func TestReceiveAuthRejected(t *testing.T) {
	_, _, err := receiveFrom(t, 10, fast, func(f *fake) error {
		if err := f.expect("VER MSNFTP"); err != nil {
			return err
		}
		if err := f.send("VER MSNFTP\r\n"); err != nil {
			return err
		}
		_, err := f.line()
		return err
	})
	wantErr(t, err, ErrAuth)
	if strings.Contains(err.Error(), testCookie) {
		t.Errorf("the error %q shows the cookie", err)
	}
}

// TestReceiveBlocks runs each stream into a buffer and into a file.
func TestReceiveBlocks(t *testing.T) {
	abc := []byte("abcdefghij")
	big := pattern(70000)
	cat := func(bs ...[]byte) []byte { return bytes.Join(bs, nil) }
	for _, tc := range []struct {
		name     string
		fil      int64
		stream   []byte
		want     []byte // bytes written to dst
		wantErr  error  // nil: success
		wantPeer string // what the sender reads after the stream
	}{
		{"one block", 10, blk(abc), abc, nil, "BYE 16777989\r\n"},
		{"zero-length blocks", 10, cat(blk(nil), blk(abc[:4]), blk(nil), blk(nil), blk(abc[4:])), abc, nil, "BYE 16777989\r\n"},
		{"65535-byte block", 70000, cat(blk(big[:65535]), blk(big[65535:])), big, nil, "BYE 16777989\r\n"},
		{"trailing bytes ignored", 10, cat(blk(abc), blk(abc), []byte("junk")), abc, nil, "BYE 16777989\r\n"},
		{"block past the size", 10, cat(blk(abc[:5]), blk(abc)), abc[:5], ErrOverrun, "CCL\r\n"},
		{"00 ff ff with 10 left", 10, cat([]byte{0, 0xff, 0xff}, pattern(65535)), nil, ErrProtocol, "CCL\r\n"},
		{"early EOF", 10, blk(abc[:5]), abc[:5], ErrIncomplete, ""},
		{"EOF inside a header", 10, cat(blk(abc[:5]), []byte{0, 5}), abc[:5], ErrIncomplete, ""},
		{"EOF inside a block", 10, cat(blk(abc[:5]), []byte{0, 5, 0, 'x'}), cat(abc[:5], []byte("x")), ErrIncomplete, ""},
		{"sender cancels", 10, cat(blk(abc[:4]), []byte{1, 0, 0}), abc[:4], ErrCancelled, ""},
		{"odd cancel header", 10, []byte{0x7f, 0x12, 0x34}, nil, ErrCancelled, ""},
		{"cancel at once", 10, []byte{1}, nil, ErrCancelled, ""},
	} {
		for _, into := range []struct {
			name    string
			receive func(*testing.T, int64, Options, func(*fake) error) (int64, []byte, error)
		}{{"buffer", receiveFrom}, {"file", receiveToFile}} {
			t.Run(tc.name+"/"+into.name, func(t *testing.T) {
				n, got, err := into.receive(t, tc.fil, fast, func(f *fake) error {
					if err := f.senderHandshake(fmt.Sprint(tc.fil)); err != nil {
						return err
					}
					if err := f.write(tc.stream); err != nil {
						return err
					}
					if tc.wantPeer == "" {
						return nil // close: the receiver sees the end
					}
					return f.expectEnd(tc.wantPeer)
				})
				if tc.wantErr == nil && err != nil {
					t.Fatalf("Receive: %v", err)
				}
				if tc.wantErr != nil {
					wantErr(t, err, tc.wantErr)
				}
				if n != int64(len(tc.want)) || !bytes.Equal(got, tc.want) {
					t.Errorf("wrote %d bytes %q, want %q", n, got, tc.want)
				}
			})
		}
	}
}

func TestReceiveEarlyEOFCounts(t *testing.T) {
	_, _, err := receiveFrom(t, 10, fast, func(f *fake) error {
		if err := f.senderHandshake("10"); err != nil {
			return err
		}
		return f.write(blk([]byte("12345")))
	})
	var ie *IncompleteError
	if !errors.As(err, &ie) || ie.Got != 5 || ie.Want != 10 {
		t.Fatalf("error %v, want *IncompleteError 5 of 10", err)
	}
	if got, want := err.Error(), "msnftp: transfer incomplete (5 of 10 bytes)"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

// TestReceiveSlowloris: no byte after TFR; the idle deadline ends it and
// the sender hears BYE 2164261694.
func TestReceiveSlowloris(t *testing.T) {
	var err error
	within(t, 2*time.Second, func() {
		_, _, err = receiveFrom(t, 10, fast, func(f *fake) error {
			if err := f.senderHandshake("10"); err != nil {
				return err
			}
			return f.expectEnd(fmt.Sprintf("BYE %d\r\n", ByeTimedOut))
		})
	})
	wantErr(t, err, ErrTimeout)
}

// TestReceiveRateFloor: a sender that drips a byte now and then keeps the
// idle deadline alive but not the throughput floor.
func TestReceiveRateFloor(t *testing.T) {
	opts := fast
	opts.MinRate = 1000
	opts.RateWindow = 300 * time.Millisecond
	var err error
	within(t, 2*time.Second, func() {
		_, _, err = receiveFrom(t, 1000, opts, func(f *fake) error {
			if err := f.senderHandshake("1000"); err != nil {
				return err
			}
			if err := f.write([]byte{0, 0xe8, 0x03}); err != nil {
				return err
			}
			for range 100 {
				time.Sleep(50 * time.Millisecond)
				if err := f.write([]byte{'x'}); err != nil {
					return nil // the receiver gave up
				}
			}
			return errors.New("fake: the receiver never gave up")
		})
	})
	wantErr(t, err, ErrTimeout)
	if !strings.Contains(err.Error(), "fewer than") {
		t.Errorf("error %q does not name the throughput floor", err)
	}
}

// TestReceiveHandshakeBound: the sender never answers VER, or drips the
// answer; the handshake bound ends it even while the idle deadline would
// not.
func TestReceiveHandshakeBound(t *testing.T) {
	opts := Options{Idle: 5 * time.Second, Handshake: 300 * time.Millisecond}
	for name, drip := range map[string]bool{"silent": false, "drip": true} {
		t.Run(name, func(t *testing.T) {
			var err error
			within(t, 2*time.Second, func() {
				_, _, err = receiveFrom(t, 10, opts, func(f *fake) error {
					if err := f.expect("VER MSNFTP"); err != nil {
						return err
					}
					if !drip {
						f.rest() // until the receiver gives up
						return nil
					}
					for range 40 {
						time.Sleep(50 * time.Millisecond)
						if f.write([]byte{'V'}) != nil {
							return nil
						}
					}
					return errors.New("fake: the receiver never gave up")
				})
			})
			wantErr(t, err, ErrTimeout)
		})
	}
}

func TestReceiveInvalidTransfer(t *testing.T) {
	for _, tr := range []Transfer{
		{Handle: "", Cookie: "1", Size: 1},
		{Handle: "a b", Cookie: "1", Size: 1},
		{Handle: "a", Cookie: "1\r\nTFR", Size: 1},
		{Handle: "a", Cookie: "", Size: 1},
		{Handle: "a", Cookie: "1", Size: -1},
	} {
		a, b := tcpPair(t)
		b.Close()
		_, err := Receive(testCtx(t), a, tr, &bytes.Buffer{}, fast)
		if err == nil || strings.Contains(err.Error(), "TFR") {
			t.Errorf("Receive(%q): %v, want an invalid-transfer error without the cookie", tr.Handle, err)
		}
	}
}
