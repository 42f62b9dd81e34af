package session

import (
	"reflect"
	"testing"
)

func TestQueueKeepsOrderAndCountsDrops(t *testing.T) {
	q := NewQueue[int](3)
	select {
	case <-q.Ready():
		t.Fatal("an empty queue is ready")
	default:
	}
	for i := 1; i <= 5; i++ {
		if kept := q.Push(i); kept != (i <= 3) {
			t.Fatalf("Push(%d) kept = %v", i, kept)
		}
	}
	if q.Len() != 3 {
		t.Fatalf("Len = %d, want 3", q.Len())
	}
	select {
	case <-q.Ready():
	default:
		t.Fatal("a queue with events is not ready")
	}
	if got := q.Take(); !reflect.DeepEqual(got, []int{1, 2, 3}) {
		t.Fatalf("Take = %v, want the first three", got)
	}
	if n := q.TakeDropped(); n != 2 {
		t.Fatalf("dropped %d, want 2", n)
	}
	if n := q.TakeDropped(); n != 0 {
		t.Fatalf("dropped %d after TakeDropped, want 0", n)
	}
	q.Push(6)
	if got := q.Take(); !reflect.DeepEqual(got, []int{6}) {
		t.Fatalf("Take after draining = %v", got)
	}
}
