package switchboard

import (
	"context"
	"fmt"
	"strings"
	"time"

	"msn/proto"
	"msn/proto/internal/engine"
)

// AckMode is the acknowledgement a message asks of the switchboard.
type AckMode string

// The acknowledgement modes of MSG.
const (
	// AckNone ("U"): the server answers nothing. For typing
	// notifications.
	AckNone AckMode = "U"
	// AckNegative ("N"): the server answers only when delivery failed
	// (NAK), which is reported as an Undelivered event. For invitations.
	AckNegative AckMode = "N"
	// AckFull ("A"): the server answers ACK or NAK. For text.
	AckFull AckMode = "A"
)

// Send sends m. With AckFull it returns when the server acknowledged the
// message (nil), refused it (a *NAKError, matching ErrNotDelivered),
// acknowledged it after everyone it was sent to had left (an
// *UnreceivedError, matching ErrNotDelivered; see recipients), or
// stayed silent for Options.AckWait (ErrUnconfirmed). With AckNegative and
// AckNone it returns once the message is written. Send fails with
// ErrNoParticipants when nobody else is in the conversation, since the
// server would acknowledge a message that reaches no one.
func (sb *Switchboard) Send(ctx context.Context, m *proto.Message, ack AckMode) error {
	switch ack {
	case AckFull:
		return sb.Go(ctx, m).Wait(ctx)
	case AckNone, AckNegative:
	default:
		return fmt.Errorf("%w: ack mode %q", proto.ErrInvalidArgument, engine.EscapeForError(string(ack)))
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := sb.checkSend(m)
	if err != nil {
		return err
	}
	cmd := &proto.Command{Verb: "MSG", HasTrID: true, Args: []string{string(ack)}, Payload: p}
	if ack == AckNone {
		return sb.c.Send(ctx, cmd)
	}
	call := sb.c.NewCall(cmd, func(r *proto.Command) bool { return r.Verb == "NAK" })
	sb.trackNegative(call, m)
	sb.c.Issue(ctx, []*engine.Call{call})
	select {
	case <-call.Done():
		if call.Err != nil {
			sb.untrackNegative(call)
			return call.Err
		}
	default:
	}
	return nil
}

// SendText sends text as one or more plain-text messages (see
// TextMessage) with ack mode A, and returns when the server has
// acknowledged every part. A text longer than one message allows is
// split on character boundaries, in order. Invalid UTF-8 is replaced by
// U+FFFD and a bare LF becomes CRLF. A nil format means
// DefaultTextFormat.
func (sb *Switchboard) SendText(ctx context.Context, text string, format *TextFormat) error {
	return sb.GoText(ctx, text, format).Wait(ctx)
}

// Go sends m with ack mode A and returns at once; the Delivery's Wait
// reports the outcome. Several deliveries may be in flight at once; they
// reach the server in the order Go was called. ctx bounds the write
// (within the engine's write timeout); Wait bounds the wait.
func (sb *Switchboard) Go(ctx context.Context, m *proto.Message) *Delivery {
	p, err := sb.checkSend(m)
	if err != nil {
		return &Delivery{err: err}
	}
	d := &Delivery{calls: []*engine.Call{sb.track(sb.ackedCall(p))}, ackWait: sb.ackWait(), sent: time.Now()}
	sb.c.Issue(ctx, d.calls)
	return d
}

// GoText is SendText without the wait: it writes every part of the text
// in one network write and returns at once.
func (sb *Switchboard) GoText(ctx context.Context, text string, format *TextFormat) *Delivery {
	d := &Delivery{Text: text, ackWait: sb.ackWait()}
	msgs, err := textMessages(text, format)
	if err == nil && sb.alone() {
		err = ErrNoParticipants
	}
	if err != nil {
		d.err = err
		return d
	}
	for _, m := range msgs {
		d.calls = append(d.calls, sb.track(sb.ackedCall(m.Bytes())))
	}
	d.sent = time.Now()
	sb.c.Issue(ctx, d.calls)
	return d
}

// ackedCall prepares an MSG A, ended by ACK or NAK.
func (sb *Switchboard) ackedCall(payload []byte) *engine.Call {
	return sb.c.NewCall(&proto.Command{Verb: "MSG", Args: []string{string(AckFull)}, Payload: payload},
		func(r *proto.Command) bool { return r.Verb == "ACK" || r.Verb == "NAK" })
}

// checkSend validates m and the conversation, and encodes m.
func (sb *Switchboard) checkSend(m *proto.Message) ([]byte, error) {
	p, err := encodeMessage(m)
	if err != nil {
		return nil, err
	}
	if sb.alone() {
		return nil, ErrNoParticipants
	}
	return p, nil
}

// encodeMessage checks that m cannot break the framing (no line break in
// a header, no colon in a name) and fits in MaxMessageSize.
func encodeMessage(m *proto.Message) ([]byte, error) {
	if m == nil {
		return nil, fmt.Errorf("%w: nil message", proto.ErrInvalidArgument)
	}
	for _, h := range m.Headers {
		if !validHeaderName(h.Name) || strings.ContainsAny(h.Value, "\r\n\x00") {
			return nil, fmt.Errorf("%w: malformed message header", proto.ErrInvalidArgument)
		}
	}
	p := m.Bytes()
	if len(p) > MaxMessageSize {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrMessageTooLong, len(p), MaxMessageSize)
	}
	return p, nil
}

// validHeaderName reports whether s is a printable ASCII token without a
// colon.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f || s[i] == ':' {
			return false
		}
	}
	return true
}
