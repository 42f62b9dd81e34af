package share

import (
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"syscall"
	"time"

	"msn/proto"
)

// Bounds of a holder.
const (
	// maxClients bounds the clients served at once; more wait in the
	// listen queue.
	maxClients = 64
	// maxOpTime bounds one request on the notification connection when
	// the client set no deadline, or a later one.
	maxOpTime = 30 * time.Second
)

// Backend is the live session a Holder serves.
type Backend interface {
	// NS is the notification connection the requests run on.
	NS() *proto.Notification
	// Ready waits until the session can be described: its contact list
	// synced.
	Ready(ctx context.Context) error
	// Welcome describes the session for a new client: the account,
	// the list and who is online. It must not block.
	Welcome() Welcome
	// Applied records a list change the server confirmed for a client.
	Applied(ch *proto.ListChange)
}

// Holder serves a live session on a Unix socket to the account's other
// commands. Publish passes it the notification events; Close ends it.
type Holder struct {
	backend Backend
	ln      *net.UnixListener
	info    HolderInfo
	uid     int // the only user allowed to connect

	ctx    context.Context // ends at Close; bounds every request
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	peers   map[*peer]struct{}
	ringers []*peer // clients that asked for rings, oldest first
	// lastSwitchboard is the address of the latest switchboard referral
	// a client got.
	lastSwitchboard string
	closed          bool
}

// Serve starts serving backend on the socket at path, for the command
// named command. It fails with ErrHeld when another live process
// already serves there, and with ErrUnsupported where peers cannot be
// checked.
func Serve(path, command string, backend Backend) (*Holder, error) {
	return serveAs(path, command, backend, os.Getuid())
}

// serveAs is Serve allowing only user uid to connect: tests pass another
// uid to see a foreign peer refused.
func serveAs(path, command string, backend Backend, uid int) (*Holder, error) {
	if !canCheckPeers {
		// A holder would refuse every client, and its socket would
		// only make them wait.
		return nil, ErrUnsupported
	}
	ln, err := listen(path)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &Holder{
		backend: backend,
		ln:      ln,
		info:    HolderInfo{PID: os.Getpid(), Command: command, Since: time.Now().Unix()},
		uid:     uid,
		ctx:     ctx,
		cancel:  cancel,
		peers:   map[*peer]struct{}{},
	}
	h.wg.Add(1)
	go h.accept()
	return h, nil
}

// accept serves each connection on its own goroutine until Close.
func (h *Holder) accept() {
	defer h.wg.Done()
	slots := make(chan struct{}, maxClients)
	var pause time.Duration
	for {
		c, err := h.ln.AcceptUnix()
		if err != nil {
			if h.ctx.Err() != nil || !isTemporary(err) {
				return
			}
			// Out of descriptors, say: wait a little, longer each time,
			// rather than spin or stop serving for good.
			pause = min(max(2*pause, 5*time.Millisecond), time.Second)
			t := time.NewTimer(pause)
			select {
			case <-t.C:
			case <-h.ctx.Done():
				t.Stop()
				return
			}
			continue
		}
		pause = 0
		select {
		case slots <- struct{}{}:
		case <-h.ctx.Done():
			c.Close()
			return
		}
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			defer func() { <-slots }()
			h.serve(c)
		}()
	}
}

// isTemporary reports an accept error worth retrying: a timeout, or a
// shortage of descriptors or memory that may pass, or a connection
// aborted before it was accepted.
func isTemporary(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	for _, e := range []error{syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM, syscall.ECONNABORTED} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// serve runs one client connection: the peer check before anything is
// read, the greeting and hello, the welcome, then its requests.
func (h *Holder) serve(c *net.UnixConn) {
	defer c.Close()
	uid, err := peerUID(c)
	if err != nil || uid != h.uid {
		return
	}
	p := newPeer(h, c)
	defer p.stop()
	if !p.handshake() {
		return
	}
	if err := h.backend.Ready(p.ctx); err != nil {
		p.end(err)
		return
	}
	if !h.join(p) {
		return
	}
	defer h.leave(p)
	p.run()
}

// join sends p the welcome and starts publishing to it, in one step
// with respect to Publish, so that no event falls between them.
func (h *Holder) join(p *peer) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	w := h.backend.Welcome()
	w.Version = Version
	w.Holder = h.info
	w.Holder.Clients = len(h.peers) + 1
	w.Switchboard = h.lastSwitchboard
	if !p.send(&frame{Welcome: &w}) {
		return false
	}
	h.peers[p] = struct{}{}
	if p.hello.Rings {
		h.ringers = append(h.ringers, p)
	}
	return true
}

// referred remembers the address of the switchboard the server last
// referred a client to, the likely address of the next.
func (h *Holder) referred(addr string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lastSwitchboard = addr
}

// leave stops publishing to p.
func (h *Holder) leave(p *peer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.peers, p)
	for i, r := range h.ringers {
		if r == p {
			h.ringers = append(h.ringers[:i], h.ringers[i+1:]...)
			break
		}
	}
}

// Publish passes a notification event on to the clients. A ring goes to
// the newest client that asked for rings, and Publish reports true;
// it reports false when no client took the ring, so that the holder
// handles it. Publish runs on the notification reader goroutine and
// never blocks: a client too slow to take its events is dropped.
func (h *Holder) Publish(ev proto.Event) (taken bool) {
	e := encodeEvent(ev)
	if e == nil {
		return false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ring := ev.(*proto.Ring); ring {
		// The newest ringer that can still take it: one that is too
		// slow, or going, leaves the ring to the one before.
		for i := len(h.ringers) - 1; i >= 0; i-- {
			if h.ringers[i].send(&frame{Event: e}) {
				return true
			}
		}
		return false
	}
	for p := range h.peers {
		p.send(&frame{Event: e})
	}
	return false
}

// publishExcept passes a confirmed list change to every client but
// the one that asked for it.
func (h *Holder) publishExcept(ch *proto.ListChange, from *peer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for p := range h.peers {
		if p != from {
			p.send(&frame{Event: &event{Kind: eventList, Change: ch}})
		}
	}
}

// Clients returns how many clients are connected.
func (h *Holder) Clients() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.peers)
}

// Close stops serving: it removes the socket, tells every client why
// the session ended (reason; nil for an orderly end), cancels their
// requests and waits for every goroutine of the holder.
func (h *Holder) Close(reason error) {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	if reason == nil {
		reason = ErrHolderEnded
	}
	for p := range h.peers {
		p.end(reason)
	}
	h.mu.Unlock()
	h.ln.Close()
	h.cancel()
	h.wg.Wait()
}
