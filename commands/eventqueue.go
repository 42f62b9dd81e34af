package commands

import "sync"

// eventQueue hands events from reader goroutines, which must not block,
// to listen's loop. It holds at most max events; beyond that it drops
// them and counts how many, so that the loop can say so.
type eventQueue struct {
	mu      sync.Mutex
	max     int
	events  []listenEvent
	dropped int
	// ready has a token while events wait.
	ready chan struct{}
}

// init prepares an empty queue holding at most max events.
func (q *eventQueue) init(max int) {
	q.max = max
	q.ready = make(chan struct{}, 1)
}

// push adds an event, or counts it as dropped when the queue is full.
func (q *eventQueue) push(e listenEvent) {
	q.mu.Lock()
	if len(q.events) >= q.max {
		q.dropped++
	} else {
		q.events = append(q.events, e)
	}
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// take removes and returns every waiting event, in order.
func (q *eventQueue) take() []listenEvent {
	q.mu.Lock()
	defer q.mu.Unlock()
	events := q.events
	q.events = nil
	return events
}

// takeDropped returns how many events were dropped since the last call.
func (q *eventQueue) takeDropped() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := q.dropped
	q.dropped = 0
	return n
}
