package progress

import (
	"io"
	"sync/atomic"
)

// Counter counts bytes moved. It is safe to call Add from one goroutine
// while a [Bar] reads the count from another. The zero value is ready to
// use; a Counter must not be copied after first use.
type Counter struct {
	n atomic.Int64
}

// Add adds n to the count with a single atomic add.
func (c *Counter) Add(n int64) { c.n.Add(n) }

// Load returns the count.
func (c *Counter) Load() int64 { return c.n.Load() }

// Writer returns an [io.Writer] that passes writes to w and adds the number
// of bytes written to c.
func (c *Counter) Writer(w io.Writer) io.Writer { return &countingWriter{w: w, c: c} }

// Reader returns an [io.Reader] that reads from r and adds the number of
// bytes read to c.
func (c *Counter) Reader(r io.Reader) io.Reader { return &countingReader{r: r, c: c} }

type countingWriter struct {
	w io.Writer
	c *Counter
}

func (cw *countingWriter) Write(p []byte) (int, error) { return cw.c.counted(cw.w.Write(p)) }

type countingReader struct {
	r io.Reader
	c *Counter
}

func (cr *countingReader) Read(p []byte) (int, error) { return cr.c.counted(cr.r.Read(p)) }

// counted adds n to c and passes the result of a read or write on.
func (c *Counter) counted(n int, err error) (int, error) {
	c.Add(int64(n))
	return n, err
}
