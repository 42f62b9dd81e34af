package switchboard

import (
	"context"

	"msn/proto"
)

// SendTyping tells the others that the account is typing
// (text/x-msmsgscontrol, ack mode U). Clients show it for a few seconds;
// send it again about every 4 seconds while typing goes on.
func (sb *Switchboard) SendTyping(ctx context.Context) error {
	return sb.Send(ctx, typingMessage(sb.self), AckNone)
}

// typingMessage is the typing notification of handle: its body is one
// CRLF, as the official client sends it.
func typingMessage(handle string) *proto.Message {
	return &proto.Message{
		Headers: []proto.Header{
			{Name: "MIME-Version", Value: "1.0"},
			{Name: "Content-Type", Value: "text/x-msmsgscontrol"},
			{Name: "TypingUser", Value: handle},
		},
		Body: []byte("\r\n"),
	}
}
