package session

import "sync"

// Queue hands events from goroutines that must not block (a
// connection's reader) to one consumer. It holds at most max events;
// past that it drops the new ones and counts them, so that the consumer
// can say so. It is the toolkit's one bounded event queue.
type Queue[T any] struct {
	mu      sync.Mutex
	max     int
	items   []T
	dropped int
	ready   chan struct{} // has a token while events wait
}

// NewQueue returns an empty queue holding at most max events.
func NewQueue[T any](max int) *Queue[T] {
	return &Queue[T]{max: max, ready: make(chan struct{}, 1)}
}

// Push adds v and reports true, or counts it as dropped and reports
// false when the queue is full. It never blocks.
func (q *Queue[T]) Push(v T) bool {
	q.mu.Lock()
	kept := len(q.items) < q.max
	if kept {
		q.items = append(q.items, v)
	} else {
		q.dropped++
	}
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
	return kept
}

// Len returns how many events wait.
func (q *Queue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// Ready has a value when events may be waiting; Take them then.
func (q *Queue[T]) Ready() <-chan struct{} { return q.ready }

// Take removes and returns every waiting event, in order.
func (q *Queue[T]) Take() []T {
	q.mu.Lock()
	defer q.mu.Unlock()
	items := q.items
	q.items = nil
	return items
}

// TakeDropped returns how many events were dropped since the last call.
func (q *Queue[T]) TakeDropped() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := q.dropped
	q.dropped = 0
	return n
}
