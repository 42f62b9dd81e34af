package switchboard

import (
	"msn/proto"
	"msn/proto/internal/engine"
)

// maxNegative bounds how many AckNegative messages are remembered so
// that a late NAK can name its message.
const maxNegative = 64

// trackNegative remembers the message of an AckNegative call, forgetting
// the oldest beyond maxNegative.
func (sb *Switchboard) trackNegative(call *engine.Call, m *proto.Message) {
	var evicted []*engine.Call
	sb.mu.Lock()
	sb.negative[call] = m
	sb.negOrder = append(sb.negOrder, call)
	for len(sb.negative) > maxNegative {
		old := sb.negOrder[0]
		sb.negOrder = sb.negOrder[1:]
		if _, ok := sb.negative[old]; ok {
			delete(sb.negative, old)
			evicted = append(evicted, old)
		}
	}
	if len(sb.negOrder) > 2*maxNegative {
		live := sb.negOrder[:0]
		for _, c := range sb.negOrder {
			if _, ok := sb.negative[c]; ok {
				live = append(live, c)
			}
		}
		sb.negOrder = live
	}
	sb.mu.Unlock()
	for _, c := range evicted {
		sb.c.Forget(c)
	}
}

// untrackNegative removes call from the AckNegative table and returns its
// message.
func (sb *Switchboard) untrackNegative(call *engine.Call) (*proto.Message, bool) {
	if call == nil {
		return nil, false
	}
	sb.mu.Lock()
	defer sb.mu.Unlock()
	m, ok := sb.negative[call]
	delete(sb.negative, call)
	return m, ok
}
