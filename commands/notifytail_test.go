package commands

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestTailKeepsLastLines(t *testing.T) {
	tl := newTail(3)
	for i := 1; i <= 5; i++ {
		fmt.Fprintf(tl, "line%d\r\n", i)
	}
	fmt.Fprint(tl, "unfinished")
	lines, total := tl.Lines()
	if want := []string{"line4", "line5", "unfinished"}; !reflect.DeepEqual(lines, want) || total != 6 {
		t.Fatalf("Lines() = %q, %d; want %q, 6", lines, total, want)
	}
}

func TestTailSplitWrites(t *testing.T) {
	tl := newTail(10)
	for _, p := range []string{"a", "b\nc", "", "d\n\n", "e"} {
		fmt.Fprint(tl, p)
	}
	lines, total := tl.Lines()
	if want := []string{"ab", "cd", "", "e"}; !reflect.DeepEqual(lines, want) || total != 4 {
		t.Fatalf("Lines() = %q, %d; want %q, 4", lines, total, want)
	}
}

func TestTailNothing(t *testing.T) {
	for _, n := range []int{0, 5} {
		tl := newTail(n)
		if lines, total := tl.Lines(); lines != nil || total != 0 {
			t.Errorf("newTail(%d).Lines() = %q, %d; want nothing", n, lines, total)
		}
	}
	tl := newTail(0)
	fmt.Fprint(tl, "a\nb")
	if lines, total := tl.Lines(); lines != nil || total != 2 {
		t.Errorf("tail of 0 lines: Lines() = %q, %d; want none of 2", lines, total)
	}
}

func TestTailBoundsBytes(t *testing.T) {
	tl := newTail(1 << 20)
	long := strings.Repeat("x", 3*tailLineBytes)
	for range 100 {
		fmt.Fprintln(tl, long)
		fmt.Fprint(tl, strings.Repeat("\n", 1000))
	}
	fmt.Fprint(tl, long)
	lines, total := tl.Lines()
	if total != 100*1001+1 {
		t.Errorf("total = %d, want %d", total, 100*1001+1)
	}
	size := 0
	for _, l := range lines {
		size += len(l) + 1
	}
	if size > tailBytes+2*tailLineBytes {
		t.Errorf("kept %d bytes in %d lines, want about %d at most", size, len(lines), tailBytes)
	}
	if last := lines[len(lines)-1]; last != long[:tailLineBytes]+"…" {
		t.Errorf("the unfinished long line is kept as %d bytes %q…, want its start and …", len(last), last[:10])
	}
}

func TestTailConcurrentWriters(t *testing.T) {
	tl := newTail(1000)
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				fmt.Fprintf(tl, "w%d-%d\n", w, i)
			}
		}()
	}
	wg.Wait()
	lines, total := tl.Lines()
	if total != 200 || len(lines) != 200 {
		t.Fatalf("Lines() kept %d of %d, want 200 of 200", len(lines), total)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "w") || strings.Count(l, "-") != 1 {
			t.Fatalf("mixed line %q", l)
		}
	}
}
