package commands

import (
	"bytes"
	"sync"
)

// Bounds of the output msn notify keeps.
const (
	// tailBytes bounds the bytes a tail keeps, counting one byte more
	// for each line so that many empty lines are bounded too.
	tailBytes = 4 << 10
	// tailLineBytes bounds one kept line; the rest of a longer line is
	// dropped and the line marked cut.
	tailLineBytes = 1 << 10
)

// tail keeps the last lines written to it, at most max lines and
// tailBytes bytes, whatever the amount of output. It is safe for
// concurrent use: the command's stdout and stderr both write to one tail,
// which interleaves them in the order the writes arrive.
type tail struct {
	mu    sync.Mutex
	max   int
	lines []tailLine // oldest first, complete lines
	size  int        // bytes of lines, each counted with its line end
	cur   tailLine   // the line being written, not ended yet
	total int        // lines seen, the unfinished one included once it has a byte
}

// tailLine is one kept line: its first tailLineBytes bytes, and whether
// more were dropped.
type tailLine struct {
	text []byte
	cut  bool
	used bool // a byte was written to it
}

// newTail returns a tail that keeps the last max lines.
func newTail(max int) *tail { return &tail{max: max} }

// Write adds p to the tail; it never fails.
func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		if !t.cur.used {
			t.cur.used = true
			t.total++
		}
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i]
		}
		room := tailLineBytes - len(t.cur.text)
		if len(chunk) > room {
			t.cur.cut = true
			chunk = chunk[:room]
		}
		t.cur.text = append(t.cur.text, chunk...)
		if i < 0 {
			break
		}
		t.push()
		p = p[i+1:]
	}
	return n, nil
}

// push ends the current line and drops the oldest lines past the
// bounds.
func (t *tail) push() {
	line := t.cur
	line.text = bytes.TrimSuffix(line.text, []byte("\r"))
	t.cur = tailLine{}
	t.lines = append(t.lines, line)
	t.size += len(line.text) + 1
	for len(t.lines) > 0 && (len(t.lines) > t.max || t.size > tailBytes) {
		t.size -= len(t.lines[0].text) + 1
		t.lines[0] = tailLine{}
		t.lines = t.lines[1:]
	}
}

// Lines returns the kept lines, oldest first, the unfinished last line
// included, and how many lines were written in all. A cut line ends in
// "…".
func (t *tail) Lines() (lines []string, total int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	kept := t.lines
	if t.cur.used {
		kept = append(kept[:len(kept):len(kept)], t.cur)
	}
	if len(kept) > t.max {
		kept = kept[len(kept)-t.max:]
	}
	for _, l := range kept {
		s := string(l.text)
		if l.cut {
			s += "…"
		}
		lines = append(lines, s)
	}
	return lines, t.total
}
