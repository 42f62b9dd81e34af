package share

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"msn/proto"
)

// Bounds of one client connection.
const (
	// maxQueued bounds the frames waiting to be written to a client; a
	// client that lets more pile up is too slow and is dropped.
	maxQueued = 1024
	// maxInFlight bounds a client's requests running at once; further
	// ones wait to be read.
	maxInFlight = 16
	// writeTimeout bounds writing one frame.
	writeTimeout = 10 * time.Second
	// handshakeTimeout bounds the hello.
	handshakeTimeout = 5 * time.Second
)

// peer is one client of a Holder: its connection, its queue of frames
// to write, and its requests.
type peer struct {
	h     *Holder
	c     *net.UnixConn
	fr    *frameReader // the one reader of c: the hello, then the requests
	hello hello

	ctx    context.Context // ends when the client goes
	cancel context.CancelFunc
	out    chan *frame
	quit   chan struct{} // closed by end: write what is queued, then hang up
	once   sync.Once
	wrote  chan struct{}  // closed when the writer has returned
	wg     sync.WaitGroup // the requests
}

// newPeer starts the writer of connection c.
func newPeer(h *Holder, c *net.UnixConn) *peer {
	ctx, cancel := context.WithCancel(h.ctx)
	p := &peer{h: h, c: c, fr: newFrameReader(c, maxRequest), ctx: ctx, cancel: cancel,
		out: make(chan *frame, maxQueued), quit: make(chan struct{}), wrote: make(chan struct{})}
	go p.write()
	return p
}

// handshake greets the client and reads its hello; a client of another
// version is told so.
func (p *peer) handshake() bool {
	if _, err := p.c.Write(greetingLine()); err != nil {
		return false
	}
	_ = p.c.SetReadDeadline(time.Now().Add(handshakeTimeout))
	f, err := p.fr.next()
	_ = p.c.SetReadDeadline(time.Time{})
	if err != nil || f.Hello == nil {
		return false
	}
	if f.Hello.Version != Version {
		p.send(&frame{End: &wireErr{Kind: kindVersion, Code: Version, Text: "socket protocol version mismatch"}})
		p.end(nil)
		return false
	}
	p.hello = *f.Hello
	return true
}

// run reads the client's requests until it goes or the holder ends.
func (p *peer) run() {
	slots := make(chan struct{}, maxInFlight)
	for {
		f, err := p.fr.next()
		if err != nil {
			return
		}
		if f.ID == 0 || f.Op == "" {
			continue
		}
		select {
		case slots <- struct{}{}:
		case <-p.ctx.Done():
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer func() { <-slots }()
			p.send(&frame{ID: f.ID, Reply: p.h.do(p, f)})
		}()
	}
}

// send queues f for the client without blocking; a client whose queue
// is full is dropped. It reports whether f was queued.
func (p *peer) send(f *frame) bool {
	if p.ctx.Err() != nil {
		return false // gone or dropped: nothing more is written
	}
	select {
	case p.out <- f:
		return true
	case <-p.ctx.Done():
		return false
	default:
		p.cancel()
		p.c.Close()
		return false
	}
}

// write writes the queued frames until the client goes, or, after end,
// until the queue is empty.
func (p *peer) write() {
	defer close(p.wrote)
	defer p.c.Close()
	for {
		select {
		case f := <-p.out:
			if !p.writeFrame(f) {
				return
			}
		case <-p.quit:
			p.drain()
			return
		case <-p.ctx.Done():
			select {
			case <-p.quit: // ended first: the reason is queued
				p.drain()
			default:
			}
			return
		}
	}
}

// drain writes what is queued, within one write timeout in all.
func (p *peer) drain() {
	deadline := time.Now().Add(writeTimeout)
	for {
		select {
		case f := <-p.out:
			if !p.writeFrameBy(f, deadline) {
				return
			}
		default:
			return
		}
	}
}

// writeFrame writes one frame; false when the client cannot take it.
func (p *peer) writeFrame(f *frame) bool {
	return p.writeFrameBy(f, time.Now().Add(writeTimeout))
}

// writeFrameBy writes one frame by deadline.
func (p *peer) writeFrameBy(f *frame, deadline time.Time) bool {
	b, err := encodeFrame(f, maxReply)
	if errors.Is(err, ErrFrameTooLong) && f.ID != 0 {
		b, err = encodeFrame(&frame{ID: f.ID, Reply: &reply{Err: encodeError(err)}}, maxReply)
	}
	if err != nil {
		return false
	}
	_ = p.c.SetWriteDeadline(deadline)
	_, err = p.c.Write(b)
	return err == nil
}

// end tells the client why the session ended (nil: it already was told)
// and hangs up once the queue is written.
func (p *peer) end(reason error) {
	p.once.Do(func() {
		if reason != nil {
			p.send(&frame{End: encodeError(reason)})
		}
		close(p.quit)
	})
}

// stop hangs up once what is queued is written (an End frame among
// it: the writer drains the queue, bounded by the write timeout, and
// closes the connection), cancels the client's requests and waits for
// them.
func (p *peer) stop() {
	p.end(nil)
	p.cancel()
	<-p.wrote
	p.c.Close()
	p.wg.Wait()
}

// do runs one request on the notification connection and returns the
// reply. A request outlives its client (the server's answer still
// updates the holder's list) but not the holder, and takes at most the
// client's deadline.
func (h *Holder) do(from *peer, f *frame) *reply {
	a := f.Args
	if a == nil {
		a = &args{}
	}
	limit := maxOpTime
	if d := time.Duration(a.Timeout) * time.Millisecond; d > 0 && d < limit {
		limit = d
	}
	ctx, cancel := context.WithTimeout(h.ctx, limit)
	defer cancel()
	ns := h.backend.NS()
	var ch *proto.ListChange
	var err error
	switch f.Op {
	case opAdd:
		ch, err = ns.AddContact(ctx, a.List, a.Email, a.Name, a.Group)
	case opRemove:
		ch, err = ns.RemoveContact(ctx, a.List, a.Email, a.Group)
	case opBlock:
		ch, err = ns.Block(ctx, a.Email)
	case opAllow:
		ch, err = ns.Allow(ctx, a.Email)
	case opUnblock:
		ch, err = ns.Unblock(ctx, a.Email)
	case opAddGroup:
		ch, err = ns.AddGroup(ctx, a.Name)
	case opRemoveGroup:
		ch, err = ns.RemoveGroup(ctx, a.Group)
	case opRenameGroup:
		ch, err = ns.RenameGroup(ctx, a.Group, a.Name)
	case opSetName:
		ch, err = ns.SetFriendlyName(ctx, a.Name)
	case opSetPhone:
		ch, err = ns.SetPhone(ctx, a.Key, a.Value)
	case opSetPrivacy:
		ch, err = ns.SetPrivacy(ctx, proto.Privacy(a.Value))
	case opSetNotify:
		ch, err = ns.SetNotifyOnAdd(ctx, a.Flag)
	case opSetStatus:
		return &reply{Err: encodeError(ns.SetStatus(ctx, a.Status))}
	case opSwitchboard:
		addr, cookie, err := ns.RequestSwitchboard(ctx, a.Status)
		if err == nil {
			h.referred(addr)
		}
		return &reply{Addr: addr, Cookie: cookie, Err: encodeError(err)}
	default:
		return &reply{Err: &wireErr{Kind: kindOther, Text: "share: unknown request " + f.Op}}
	}
	if err != nil {
		return &reply{Err: encodeError(err)}
	}
	h.backend.Applied(ch)
	h.publishExcept(ch, from)
	return &reply{Change: ch}
}
