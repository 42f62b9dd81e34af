package commands

import (
	"context"
	"fmt"

	"msn/proto"
)

// answer joins the conversation a Ring invites to, on a goroutine that
// owns the switchboard until it ends, everyone else has left, or listen
// stops. At most maxConversations are open at once.
func (l *listener) answer(ring *proto.Ring) {
	select {
	case l.slots <- struct{}{}:
	default:
		l.env.Warnf("listen: ignoring an invitation from %s: %d conversations are open", escapeDisplay(ring.From), maxConversations)
		return
	}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		defer func() { <-l.slots }()
		l.converse(ring)
	}()
}

// converse answers ring and stays in the conversation while someone else
// is in it.
func (l *listener) converse(ring *proto.Ring) {
	conv := ring.SessionID
	left := make(chan struct{}, 1)
	handler := func(ev proto.Event) {
		if _, ok := ev.(*proto.Left); ok {
			select {
			case left <- struct{}{}:
			default:
			}
		}
		l.push(listenEvent{conv: conv, ev: ev})
	}
	actx, cancel := context.WithTimeout(l.done, l.env.opts.Timeout)
	sb, err := l.ns.Answer(actx, ring, proto.SwitchboardOptions{Handler: handler})
	cancel()
	if err != nil {
		if l.done.Err() == nil {
			l.push(listenEvent{warn: fmt.Sprintf("listen: cannot answer %s: %v", escapeDisplay(ring.From), err)})
		}
		return
	}
	defer sb.Close()
	for len(sb.Participants()) > 0 {
		select {
		case <-sb.Done():
			return
		case <-l.done.Done():
			l.leave(sb)
			return
		case <-left:
		}
	}
	l.leave(sb)
}

// leave says goodbye to a conversation, waiting briefly for the server.
func (l *listener) leave(sb *proto.Switchboard) {
	ctx, cancel := context.WithTimeout(context.Background(), goodbyeWait)
	defer cancel()
	_ = sb.Leave(ctx)
}
