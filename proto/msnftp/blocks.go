package msnftp

import (
	"bufio"
	"io"
)

// Block framing.
const (
	hdrLen      = 3                       // block header: type byte, length (little-endian uint16)
	blockSpan   = hdrLen + MaxBlock       // one full block on the wire: 2048 bytes
	batchBlocks = 512                     // blocks per network write
	batchSize   = batchBlocks * blockSpan // 1 MiB
	gatherSize  = 1 << 20                 // receiver: payload bytes per destination write
	recvBufSize = 1 << 20                 // receiver: read buffer
	lineBufSize = 8 << 10                 // sender: read buffer (lines only)
)

// cancelBlock is the header by which the sender cancels.
var cancelBlock = []byte{1, 0, 0}

// newBatch returns the sender's reusable batch buffer: batchSize bytes of
// blocks plus room for a cancel block after them.
func newBatch() []byte { return make([]byte, batchSize+hdrLen) }

// rawArea is where the sender reads up to batchBlocks*MaxBlock source
// bytes before frame spreads them into blocks.
func rawArea(batch []byte, k int) []byte {
	return batch[batchBlocks*hdrLen : batchBlocks*hdrLen+k]
}

// frame turns the k source bytes in rawArea(batch, k) into blocks of
// MaxBlock bytes (the last one shorter) laid out from batch[0], and
// returns them. It moves the data forward in place: block i lands at
// i*blockSpan, which never passes the raw bytes of block i+1, so nothing
// is overwritten before it is moved.
func frame(batch []byte, k int) []byte {
	raw := batchBlocks * hdrLen
	end := 0
	for done, i := 0, 0; done < k; i++ {
		n := min(MaxBlock, k-done)
		at := i * blockSpan
		batch[at], batch[at+1], batch[at+2] = 0, byte(n), byte(n>>8)
		copy(batch[at+hdrLen:at+hdrLen+n], batch[raw+done:raw+done+n])
		done += n
		end = at + hdrLen + n
	}
	return batch[:end]
}

// payloadIn returns how many source bytes the first n bytes of a frame
// carry.
func payloadIn(n int) int64 {
	full, rest := n/blockSpan, n%blockSpan
	return int64(full*MaxBlock + max(0, rest-hdrLen))
}

// blockTail returns the unwritten rest of the block that a write of n
// bytes of framed cut, or nil if the cut fell between blocks.
func blockTail(framed []byte, n int) []byte {
	if n >= len(framed) || n%blockSpan == 0 {
		return nil
	}
	end := min((n/blockSpan+1)*blockSpan, len(framed))
	return framed[n:end]
}

// localError is a failure of the local side (the destination, the
// source, Commit), as opposed to the connection.
type localError struct {
	op  string
	err error
}

func (e *localError) Error() string { return e.op + ": " + e.err.Error() }
func (e *localError) Unwrap() error { return e.err }

// gather collects block payloads into one buffer and writes it to dst in
// large chunks.
type gather struct {
	dst      io.Writer
	buf      []byte
	off      int
	written  int64
	progress func(int64) // Options.Progress, or nil
}

func newGather(dst io.Writer) *gather {
	return &gather{dst: dst, buf: make([]byte, gatherSize)}
}

// take reads n payload bytes from br into the buffer, flushing it
// whenever it is full.
func (w *gather) take(br *bufio.Reader, n int) error {
	for n > 0 {
		if w.off == len(w.buf) {
			if err := w.flush(); err != nil {
				return err
			}
		}
		m := min(n, len(w.buf)-w.off)
		k, err := io.ReadFull(br, w.buf[w.off:w.off+m])
		w.off += k
		n -= k
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
	}
	return nil
}

// flush writes the gathered bytes to dst.
func (w *gather) flush() error {
	if w.off == 0 {
		return nil
	}
	n, err := w.dst.Write(w.buf[:w.off])
	n = min(max(n, 0), w.off)
	w.written += int64(n)
	if n > 0 && w.progress != nil {
		w.progress(int64(n))
	}
	if err == nil && n < w.off {
		err = io.ErrShortWrite
	}
	w.off = 0
	if err != nil {
		return &localError{op: "writing", err: err}
	}
	return nil
}

// readBlocks reads blocks from br until size payload bytes have gone into
// w. It stops at a cancel header (ErrCancelled), at a block longer than
// what remains (ErrOverrun, which is also ErrProtocol), at a read error, or at a *localError from
// the destination. It never takes a byte past size. The caller flushes w.
func readBlocks(br *bufio.Reader, size int64, w *gather) error {
	for left := size; left > 0; {
		n, err := nextBlock(br, size, left)
		if err != nil {
			return err
		}
		br.Discard(hdrLen)
		if err := w.take(br, n); err != nil {
			return err
		}
		left -= int64(n)
	}
	return nil
}

// nextBlock checks the header of the next block without taking it: a
// cancel header is ErrCancelled, a block longer than left is ErrOverrun.
// It returns the block's length.
func nextBlock(br *bufio.Reader, size, left int64) (int, error) {
	b, err := br.Peek(1)
	if err != nil {
		return 0, err
	}
	if b[0] != 0 {
		return 0, failf(ErrCancelled, "the sender cancelled after %d of %d bytes", size-left, size)
	}
	h, err := br.Peek(hdrLen)
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return 0, err
	}
	n := int64(h[1]) | int64(h[2])<<8
	if n > left {
		return 0, overrunf("a block of %d bytes with %d of %d bytes left", n, left, size)
	}
	return int(n), nil
}
