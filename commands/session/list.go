package session

import (
	"context"
	"encoding/json"
	"sync"

	"msn/keyring"
	"msn/proto"
)

// maxPendingListEvents bounds the list events kept while the sync runs;
// past it the list is marked stale so that the next sync fetches it whole.
const maxPendingListEvents = 4 * proto.MaxContacts

// contactList is the contact list of a session: synced once after login
// against the cached version (an unchanged list costs one short reply),
// kept current with the changes the server pushes, and written back to
// the state file when it changed.
type contactList struct {
	cfg    Config
	acct   keyring.Account
	cached *proto.ContactList
	older  bool // cached is in the form of older versions: save it anew

	started bool
	done    chan struct{} // closed when the sync has ended
	err     error         // why the sync failed; read after done

	mu      sync.Mutex
	list    *proto.ContactList
	pending []proto.Event // list events that arrived before the list
	stale   bool          // events were dropped: do not trust the version
	dirty   bool          // changed since it was loaded or saved
	shared  bool          // a shared session's copy: its holder saves the list
}

// newContactList returns the list machinery of acct, starting from the
// list cached in st.
func newContactList(cfg Config, acct keyring.Account, st keyring.State) *contactList {
	cl, older := cachedList(st)
	return &contactList{cfg: cfg, acct: acct, cached: cl, older: older, done: make(chan struct{})}
}

// cachedList decodes the list saved in st, or returns nil when there is
// none or it does not match its recorded version; older reports a list
// saved in the form of older versions.
func cachedList(st keyring.State) (cl *proto.ContactList, older bool) {
	if st.ListVersion <= 0 || len(st.List) == 0 {
		return nil, false
	}
	cl, older, err := decodeListCache(st.List)
	if err != nil || cl.Version != st.ListVersion {
		return nil, false
	}
	return cl, older
}

// handler returns the connection's event handler: it records list events
// and passes every event on to next, when there is one. It runs on the
// reader goroutine and never blocks for long.
func (l *contactList) handler(next func(proto.Event)) func(proto.Event) {
	return func(ev proto.Event) {
		switch ev.(type) {
		case *proto.ListChange, *proto.ReverseListChange:
			l.record(ev)
		}
		if next != nil {
			next(ev)
		}
	}
}

// record applies a list event, or keeps it until the sync has ended.
func (l *contactList) record(ev proto.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.list != nil:
		if l.list.Apply(ev) {
			l.dirty = true
		}
	case len(l.pending) < maxPendingListEvents:
		l.pending = append(l.pending, ev)
	default:
		l.stale = true
	}
}

// adopt makes cl, a shared session's list, the list: the events that
// came before it are applied, and it is never saved here.
func (l *contactList) adopt(cl *proto.ContactList) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.list, l.shared = cl, true
	for _, ev := range l.pending {
		cl.Apply(ev)
	}
	l.pending = nil
	close(l.done)
}

// encode returns the list as JSON, or nil before the sync has ended.
func (l *contactList) encode() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.list == nil {
		return nil
	}
	b, err := json.Marshal(l.list)
	if err != nil {
		return nil
	}
	return b
}

// start runs the sync on its own goroutine, which ends when the sync
// does: at the server's answer, at ctx's end, or when ns closes.
func (l *contactList) start(ctx context.Context, ns *proto.Notification) {
	l.started = true
	go func() {
		defer close(l.done)
		cl, err := ns.Sync(ctx, l.cached)
		l.mu.Lock()
		defer l.mu.Unlock()
		if err != nil {
			l.err = err
			return
		}
		l.list, l.dirty = cl, cl != l.cached || l.older
		for _, ev := range l.pending {
			if ch, ok := ev.(*proto.ListChange); ok {
				ev = keepStoredName(cl, ch)
			}
			if cl.Apply(ev) {
				l.dirty = true
			}
		}
		l.pending = nil
		if l.stale {
			cl.Version, l.dirty = 0, true
		}
	}()
}

// wait waits for the sync to end and returns its error.
func (l *contactList) wait(ctx context.Context) error {
	select {
	case <-l.done:
		return l.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// with waits for the sync and calls fn with the list, which fn may read
// and change; nothing else touches the list meanwhile.
func (l *contactList) with(ctx context.Context, fn func(cl *proto.ContactList) error) error {
	if err := l.wait(ctx); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return fn(l.list)
}

// apply records a change the server confirmed and saves the list. A
// change confirmed before the sync has ended (its reply can be handled
// before the sync's goroutine has taken the list) waits with the events
// for the list, and is saved with it.
func (l *contactList) apply(ch *proto.ListChange) {
	l.mu.Lock()
	if l.list == nil && !l.shared {
		if len(l.pending) < maxPendingListEvents {
			l.pending = append(l.pending, ch)
		} else {
			l.stale = true
		}
		l.mu.Unlock()
		return
	}
	if l.list != nil && l.list.Apply(keepStoredName(l.list, ch)) {
		l.dirty = true
	}
	l.mu.Unlock()
	l.save()
}

// keepStoredName returns ch without its name when it adds to the allow
// or block list a contact cl already names: such a reply names the
// contact by the name that was sent, the address.
func keepStoredName(cl *proto.ContactList, ch *proto.ListChange) *proto.ListChange {
	if ch.Kind != proto.ChangeAdd || ch.List == proto.ForwardList {
		return ch
	}
	if c := cl.Contact(ch.Email); c != nil && c.Name != "" {
		keep := *ch
		keep.Name = ""
		return &keep
	}
	return ch
}

// save writes the list and its version to the state file when it
// changed. Failures only warn: the command itself succeeded.
func (l *contactList) save() {
	l.mu.Lock()
	if l.list == nil || !l.dirty || l.shared {
		l.mu.Unlock()
		return
	}
	data, err := encodeListCache(l.list)
	version := l.list.Version
	l.dirty = false
	l.mu.Unlock()
	if err != nil {
		l.cfg.warnf("cannot encode the contact list: %v", err)
		return
	}
	st, err := l.acct.State()
	if err != nil {
		l.cfg.warnf("cannot read the login cache: %v", err)
		return
	}
	if st.Server != l.cfg.Server {
		return // another login to another server replaced the cache
	}
	st.ListVersion, st.List = version, data
	if version <= 0 {
		st.ListVersion, st.List = 0, nil
	}
	if err := l.acct.SaveState(st); err != nil {
		l.cfg.warnf("cannot save the contact list: %v", err)
	}
}

// close waits for a sync that was started (ns must be closed first, so
// that it ends) and saves the list.
func (l *contactList) close() {
	if !l.started {
		return
	}
	<-l.done
	l.save()
}
