package share

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"msn/proto"
)

// DialOptions tune a Client.
type DialOptions struct {
	// Engine holds the options of the client's own connections (its
	// switchboards: dialer, debug transcript, private addresses) and,
	// in Handler, the receiver of the session's events, called on the
	// client's reader goroutine; it must not block.
	Engine proto.Options
	// Rings asks for the account's invitations to conversations.
	Rings bool
	// Command names the client, for the holder's status.
	Command string
}

// Client is a command's view of a session another process holds: the
// notification-server requests a command makes, run by the holder, and
// the session's events. It opens switchboards itself. Its methods may
// be called from several goroutines.
type Client struct {
	c       *net.UnixConn
	welcome Welcome
	opts    proto.Options
	policy  proto.ReferralPolicy

	wmu sync.Mutex // serialises writes

	mu      sync.Mutex
	nextID  uint64
	pending map[uint64]chan *reply
	err     error // why the client ended; set before done closes

	done chan struct{}
	read chan struct{} // closed when the reader has returned
}

// Dial connects to the session held at path. It fails with ErrNoHolder
// when nobody holds it (a stale socket is removed), with a
// *VersionError when the holder speaks another protocol version, and
// with ErrForeignSocket when the holder is another user. Before Dial
// returns, the handler is told who is online, as presence events.
func Dial(ctx context.Context, path string, o DialOptions) (*Client, error) {
	c, err := connect(ctx, path)
	if err != nil {
		return nil, err
	}
	cl, err := handshake(ctx, c, o)
	if err != nil {
		c.Close()
		return nil, err
	}
	return cl, nil
}

// handshake reads the greeting, says hello and reads the welcome, then
// starts the reader.
func handshake(ctx context.Context, c *net.UnixConn, o DialOptions) (*Client, error) {
	deadline := time.Now().Add(dialTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	_ = c.SetDeadline(deadline)
	fr := newFrameReader(c, maxReply)
	v, err := fr.greeting()
	if err != nil {
		return nil, fmt.Errorf("share: greeting: %w", err)
	}
	if v != Version {
		return nil, &VersionError{Holder: v, Client: Version}
	}
	b, err := encodeFrame(&frame{Hello: &hello{Version: Version, Rings: o.Rings, PID: os.Getpid(), Command: o.Command}}, maxRequest)
	if err != nil {
		return nil, err
	}
	if _, err := c.Write(b); err != nil {
		return nil, fmt.Errorf("share: hello: %w", err)
	}
	// The welcome waits for the holder's Ready (its contact list
	// synced), which may take longer than a greeting: it is bounded by
	// ctx, and by maxOpTime when ctx has no deadline.
	deadline = time.Now().Add(maxOpTime)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	_ = c.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { _ = c.SetDeadline(time.Now()) })
	f, err := fr.next()
	if !stop() && ctx.Err() != nil {
		return nil, fmt.Errorf("share: welcome: %w", ctx.Err())
	}
	switch {
	case err != nil:
		return nil, fmt.Errorf("share: welcome: %w", err)
	case f.End != nil:
		return nil, decodeError(f.End)
	case f.Welcome == nil:
		return nil, errors.New("share: no welcome from the holder")
	}
	_ = c.SetDeadline(time.Time{})
	cl := &Client{
		c:       c,
		welcome: *f.Welcome,
		opts:    o.Engine,
		policy:  proto.ReferralPolicy{AllowPrivate: f.Welcome.AllowPrivate || o.Engine.AllowPrivate},
		pending: map[uint64]chan *reply{},
		done:    make(chan struct{}),
		read:    make(chan struct{}),
	}
	if h := o.Engine.Handler; h != nil {
		for _, s := range cl.welcome.Presence {
			h(&proto.Presence{Email: s.Email, Name: s.Name, Status: s.Status, Initial: true})
		}
	}
	go cl.readLoop(fr)
	return cl, nil
}

// Welcome returns what the holder said of the session when the client
// connected.
func (cl *Client) Welcome() Welcome { return cl.welcome }

// readLoop routes replies to their requests and events to the handler,
// until the holder ends or the connection breaks.
func (cl *Client) readLoop(fr *frameReader) {
	defer close(cl.read)
	for {
		f, err := fr.next()
		if err != nil {
			cl.fail(fmt.Errorf("%w: %w", ErrHolderEnded, err))
			return
		}
		switch {
		case f.End != nil:
			cl.fail(decodeError(f.End))
			return
		case f.Reply != nil:
			cl.mu.Lock()
			ch := cl.pending[f.ID]
			delete(cl.pending, f.ID)
			cl.mu.Unlock()
			if ch != nil {
				ch <- f.Reply
			}
		case f.Event != nil:
			if ev := f.Event.decode(); ev != nil && cl.opts.Handler != nil {
				cl.opts.Handler(ev)
			}
		}
	}
}

// fail ends the client with err, once; pending requests see err.
func (cl *Client) fail(err error) {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if cl.err != nil {
		return
	}
	if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
		err = ErrHolderEnded
	}
	cl.err = err
	close(cl.done)
	cl.c.Close()
}

// call sends a request and waits for its reply, within ctx.
func (cl *Client) call(ctx context.Context, op string, a args) (*reply, error) {
	if err := ctx.Err(); err != nil {
		return nil, err // not sent: the holder would run it for nobody
	}
	if d, ok := ctx.Deadline(); ok {
		a.Timeout = max(time.Until(d).Milliseconds(), 1)
	}
	ch := make(chan *reply, 1)
	cl.mu.Lock()
	if cl.err != nil {
		err := cl.err
		cl.mu.Unlock()
		return nil, err
	}
	cl.nextID++
	id := cl.nextID
	cl.pending[id] = ch
	cl.mu.Unlock()
	forget := func() {
		cl.mu.Lock()
		delete(cl.pending, id)
		cl.mu.Unlock()
	}
	b, err := encodeFrame(&frame{ID: id, Op: op, Args: &a}, maxRequest)
	if err != nil {
		forget()
		return nil, err
	}
	cl.wmu.Lock()
	wd := time.Now().Add(writeTimeout)
	ctxBound := false
	if d, ok := ctx.Deadline(); ok && d.Before(wd) {
		wd, ctxBound = d, true
	}
	_ = cl.c.SetWriteDeadline(wd)
	n, err := cl.c.Write(b)
	cl.wmu.Unlock()
	if err != nil {
		forget()
		if n == 0 && ctxBound && errors.Is(err, os.ErrDeadlineExceeded) {
			// Nothing was written, so the stream is whole: only this
			// call's time is up, not the client.
			return nil, context.DeadlineExceeded
		}
		cl.fail(fmt.Errorf("%w: %w", ErrHolderEnded, err))
		return nil, cl.Err()
	}
	select {
	case r := <-ch:
		if r.Err != nil {
			return r, decodeError(r.Err)
		}
		return r, nil
	case <-cl.done:
		return nil, cl.Err()
	case <-ctx.Done():
		forget()
		return nil, ctx.Err()
	}
}

// change runs a request whose answer is a list change.
func (cl *Client) change(ctx context.Context, op string, a args) (*proto.ListChange, error) {
	r, err := cl.call(ctx, op, a)
	if err != nil {
		return nil, err
	}
	if r.Change == nil {
		return nil, fmt.Errorf("%w: the holder answered %s without a change", proto.ErrProtocol, op)
	}
	return r.Change, nil
}

// AddContact adds email to list through the holder; see
// proto.Notification.AddContact.
func (cl *Client) AddContact(ctx context.Context, list proto.List, email, name string, group int) (*proto.ListChange, error) {
	return cl.change(ctx, opAdd, args{List: list, Email: email, Name: name, Group: group})
}

// RemoveContact removes email from list through the holder.
func (cl *Client) RemoveContact(ctx context.Context, list proto.List, email string, group int) (*proto.ListChange, error) {
	return cl.change(ctx, opRemove, args{List: list, Email: email, Group: group})
}

// Block blocks email through the holder.
func (cl *Client) Block(ctx context.Context, email string) (*proto.ListChange, error) {
	return cl.change(ctx, opBlock, args{Email: email})
}

// Allow allows email through the holder.
func (cl *Client) Allow(ctx context.Context, email string) (*proto.ListChange, error) {
	return cl.change(ctx, opAllow, args{Email: email})
}

// Unblock unblocks email through the holder.
func (cl *Client) Unblock(ctx context.Context, email string) (*proto.ListChange, error) {
	return cl.change(ctx, opUnblock, args{Email: email})
}

// AddGroup creates a group through the holder.
func (cl *Client) AddGroup(ctx context.Context, name string) (*proto.ListChange, error) {
	return cl.change(ctx, opAddGroup, args{Name: name})
}

// RemoveGroup removes a group through the holder.
func (cl *Client) RemoveGroup(ctx context.Context, id int) (*proto.ListChange, error) {
	return cl.change(ctx, opRemoveGroup, args{Group: id})
}

// RenameGroup renames a group through the holder.
func (cl *Client) RenameGroup(ctx context.Context, id int, name string) (*proto.ListChange, error) {
	return cl.change(ctx, opRenameGroup, args{Group: id, Name: name})
}

// SetFriendlyName changes the account's name through the holder.
func (cl *Client) SetFriendlyName(ctx context.Context, name string) (*proto.ListChange, error) {
	return cl.change(ctx, opSetName, args{Name: name})
}

// SetPhone changes a phone number through the holder.
func (cl *Client) SetPhone(ctx context.Context, key, value string) (*proto.ListChange, error) {
	return cl.change(ctx, opSetPhone, args{Key: key, Value: value})
}

// SetPrivacy changes the privacy mode through the holder.
func (cl *Client) SetPrivacy(ctx context.Context, p proto.Privacy) (*proto.ListChange, error) {
	return cl.change(ctx, opSetPrivacy, args{Value: string(p)})
}

// SetNotifyOnAdd changes the add notification setting through the
// holder.
func (cl *Client) SetNotifyOnAdd(ctx context.Context, notify bool) (*proto.ListChange, error) {
	return cl.change(ctx, opSetNotify, args{Flag: notify})
}

// SetStatus changes the session's presence through the holder.
func (cl *Client) SetStatus(ctx context.Context, s proto.Status) error {
	_, err := cl.call(ctx, opSetStatus, args{Status: s})
	return err
}

// RequestSwitchboard asks the holder for a switchboard referral, with
// the presence set in the same write when status is not empty, and
// checks the address with the client's own policy.
func (cl *Client) RequestSwitchboard(ctx context.Context, status proto.Status) (addr, cookie string, err error) {
	r, err := cl.call(ctx, opSwitchboard, args{Status: status})
	if err != nil {
		return "", "", err
	}
	addr, err = cl.policy.Check(r.Addr)
	if err != nil {
		return "", "", err
	}
	return addr, r.Cookie, nil
}

// PredictSwitchboard returns where the holder's latest switchboard
// referral went, the likely address of the next (a
// switchboard.Predictor).
func (cl *Client) PredictSwitchboard() string { return cl.welcome.Switchboard }

// Handle returns the account's handle.
func (cl *Client) Handle() string { return cl.welcome.Handle }

// Protocol returns the session's protocol version.
func (cl *Client) Protocol() proto.Protocol { return cl.welcome.Protocol }

// ReferralPolicy returns the policy for the addresses of switchboards.
func (cl *Client) ReferralPolicy() proto.ReferralPolicy { return cl.policy }

// Dial opens a TCP connection to a switchboard or a peer.
func (cl *Client) Dial(ctx context.Context, addr string) (net.Conn, error) {
	return cl.opts.DialAddr(ctx, addr)
}

// Debug returns the writer of the client's own wire transcripts.
func (cl *Client) Debug() io.Writer { return cl.opts.Debug }

// LocalAddr returns the local address of the holder's notification
// connection: the same machine's address as the server sees it.
func (cl *Client) LocalAddr() net.Addr {
	ap, err := net.ResolveTCPAddr("tcp", cl.welcome.LocalAddr)
	if err != nil {
		return &net.TCPAddr{}
	}
	return ap
}

// Done is closed when the client has ended.
func (cl *Client) Done() <-chan struct{} { return cl.done }

// Err returns why the client ended, or nil while it has not.
func (cl *Client) Err() error {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	return cl.err
}

// Logout leaves the shared session, which goes on for its holder and
// its other clients; nothing is said to the server.
func (cl *Client) Logout(context.Context) error {
	_ = cl.Close()
	return nil
}

// Close disconnects from the holder and waits for the reader. It
// returns nil when the client ended by this Close, else why it ended.
func (cl *Client) Close() error {
	cl.mu.Lock()
	ended := cl.err
	if ended == nil {
		cl.err = net.ErrClosed
		close(cl.done)
	}
	cl.mu.Unlock()
	cl.c.Close()
	<-cl.read
	if ended == nil || errors.Is(ended, net.ErrClosed) {
		return nil
	}
	return ended
}
