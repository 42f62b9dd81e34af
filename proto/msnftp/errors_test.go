package msnftp

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

func TestIncompleteError(t *testing.T) {
	var err error = &IncompleteError{Got: 5, Want: 10}
	if got, want := err.Error(), "msnftp: transfer incomplete (5 of 10 bytes)"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if !errors.Is(err, ErrIncomplete) || errors.Is(err, ErrCancelled) {
		t.Error("IncompleteError must match ErrIncomplete only")
	}
}

func TestByeError(t *testing.T) {
	for _, tc := range []struct {
		code   uint32
		text   string
		target error
	}{
		{ByeOutOfSpace, "msnftp: receiver said BYE 2147942405 (receiver out of disk space)", nil},
		{ByeCancelled, "msnftp: receiver said BYE 2164261682 (receiver cancelled)", ErrCancelled},
		{ByeTimedOut, "msnftp: receiver said BYE 2164261694 (receiver timed out)", ErrTimeout},
		{42, "msnftp: receiver said BYE 42", nil},
	} {
		var err error = &ByeError{Code: tc.code}
		if err.Error() != tc.text {
			t.Errorf("message %q, want %q", err.Error(), tc.text)
		}
		if !errors.Is(err, &ByeError{Code: tc.code}) || errors.Is(err, &ByeError{Code: tc.code + 1}) {
			t.Errorf("BYE %d: Is by code broken", tc.code)
		}
		if tc.target != nil && !errors.Is(err, tc.target) {
			t.Errorf("BYE %d does not match %v", tc.code, tc.target)
		}
		if errors.Is(err, ErrProtocol) {
			t.Errorf("BYE %d matches ErrProtocol", tc.code)
		}
	}
}

func TestErrorForms(t *testing.T) {
	err := wrap("reading FIL", failf(ErrProtocol, "malformed FIL %s", quote("abc\x1b[31m")))
	if got, want := err.Error(), `msnftp: reading FIL: protocol error: malformed FIL "abc\x1b[31m"`; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if !errors.Is(err, ErrProtocol) {
		t.Error("a wrapped protocol error does not match ErrProtocol")
	}
	if q := quote(strings.Repeat("x", 100)); len(q) > maxQuote+10 {
		t.Errorf("quote did not truncate: %d bytes", len(q))
	}
	if q := quote("\u202egnp.exe"); strings.ContainsRune(q, '\u202e') {
		t.Errorf("quote kept a bidi override: %s", q)
	}

	cancelled := wrap("receiving", ctxError(context.Canceled))
	if !errors.Is(cancelled, context.Canceled) || errors.Is(cancelled, ErrTimeout) {
		t.Errorf("%v: a cancellation must stay context.Canceled and nothing else", cancelled)
	}
	expired := wrap("receiving", ctxError(context.DeadlineExceeded))
	if !errors.Is(expired, context.DeadlineExceeded) || !errors.Is(expired, ErrTimeout) {
		t.Errorf("%v: a deadline must match both ErrTimeout and context.DeadlineExceeded", expired)
	}
	for _, e := range []error{err, cancelled, expired} {
		if strings.Count(e.Error(), "msnftp:") != 1 {
			t.Errorf("%q: want exactly one package prefix", e)
		}
	}
}

func TestNewCookie(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		c, err := NewCookie()
		if err != nil {
			t.Fatal(err)
		}
		v, err := strconv.ParseUint(c, 10, 32)
		if err != nil || v == 0 || fmt.Sprint(v) != c {
			t.Fatalf("cookie %q is not a non-zero uint32 in decimal", c)
		}
		seen[c] = true
	}
	if len(seen) < 95 {
		t.Errorf("only %d distinct cookies in 100", len(seen))
	}
	if !cookieMatches("123", "123") || cookieMatches("123", "1234") || cookieMatches("", "1") {
		t.Error("cookieMatches is wrong")
	}
}
