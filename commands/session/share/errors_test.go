package share

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"

	"msn/proto"
)

func TestErrorRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		err   error
		kind  string
		class error // what the decoded error matches
	}{
		{&proto.ServerError{Code: 205, TrID: 9}, kindServer, proto.ErrUnknownUser},
		{fmt.Errorf("add: %w", &proto.ServerError{Code: 215}), kindServer, proto.ErrListState},
		{context.DeadlineExceeded, kindTimeout, context.DeadlineExceeded},
		{fmt.Errorf("read: %w", os.ErrDeadlineExceeded), kindTimeout, context.DeadlineExceeded},
		{context.Canceled, kindCanceled, ErrHolderEnded},
		{&proto.ProtocolError{Msg: "bad reply"}, kindProtocol, proto.ErrProtocol},
		{&proto.PrivateAddressError{Host: "10.0.0.1"}, kindProtocol, proto.ErrProtocol},
		{proto.ErrSignedInElsewhere, kindElsewhere, proto.ErrSignedInElsewhere},
		{proto.ErrServerShutdown, kindShutdown, proto.ErrServerShutdown},
		{fmt.Errorf("%w: email", proto.ErrInvalidArgument), kindInvalid, proto.ErrInvalidArgument},
		{proto.ErrClosed, kindClosed, proto.ErrClosed},
		{&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, kindClosed, proto.ErrClosed},
		{ErrHolderEnded, kindEnded, ErrHolderEnded},
		{errors.New("something else"), kindOther, nil},
	} {
		w := encodeError(tc.err)
		if w.Kind != tc.kind {
			t.Errorf("%v: kind %q, want %q", tc.err, w.Kind, tc.kind)
			continue
		}
		b, err := json.Marshal(w)
		if err != nil {
			t.Fatal(err)
		}
		var back wireErr
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		d := decodeError(&back)
		if d == nil || d.Error() != tc.err.Error() {
			t.Errorf("%v: decoded as %v", tc.err, d)
			continue
		}
		if tc.class != nil && !errors.Is(d, tc.class) {
			t.Errorf("%v: decoded %v does not match %v", tc.err, d, tc.class)
		}
		// Across a second socket, the class stays.
		if again := encodeError(d); again.Kind != tc.kind && !(tc.kind == kindCanceled && again.Kind == kindEnded) {
			t.Errorf("%v: kind %q after a second crossing", tc.err, again.Kind)
		}
	}
}

func TestServerErrorKeepsCode(t *testing.T) {
	d := decodeError(encodeError(&proto.ServerError{Code: 201, TrID: 4}))
	var se *proto.ServerError
	if !errors.As(d, &se) || se.Code != 201 {
		t.Fatalf("decoded %v: %+v", d, se)
	}
	if !errors.Is(d, proto.ErrInvalidArgument) || !errors.Is(d, &proto.ServerError{Code: 201}) {
		t.Errorf("decoded %v lost its class", d)
	}
}

func TestVersionErrorAcrossSocket(t *testing.T) {
	d := decodeError(&wireErr{Kind: kindVersion, Code: 7, Text: "mismatch"})
	var ve *VersionError
	if !errors.As(d, &ve) || ve.Holder != 7 || ve.Client != Version {
		t.Fatalf("decoded %v", d)
	}
	if ve.Error() == "" {
		t.Error("no text")
	}
}

func TestNilErrors(t *testing.T) {
	if encodeError(nil) != nil || decodeError(nil) != nil {
		t.Error("nil does not cross as nil")
	}
}

func TestUnknownKind(t *testing.T) {
	d := decodeError(&wireErr{Kind: "from-the-future", Text: "new words"})
	if d == nil || d.Error() != "new words" {
		t.Errorf("an unknown kind: %v", d)
	}
}
