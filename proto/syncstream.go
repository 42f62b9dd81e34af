package proto

import (
	"sync"

	"msn/proto/internal/engine"
)

// syncBuilder assembles a ContactList from the lines that answer one
// SYN. The reader goroutine feeds it; Sync takes the result once it is
// complete. After that the builder only absorbs what is left of the
// stream (the tail): late BPR lines, which become events, and stray
// stream lines, which are dropped.
type syncBuilder struct {
	mu        sync.Mutex
	dialect   Protocol
	requested int
	cached    *ContactList

	// call is the SYN; its reply starts the stream (begin).
	call  *engine.Call
	begun bool
	trid  uint32
	list  *ContactList
	// MSNP8: announced and seen LST and LSG lines, and the contact that
	// BPR lines belong to.
	wantLST, wantLSG int
	gotLST, gotLSG   int
	last             *Contact
	lastEmail        string // the last contact's handle, kept for the tail
	// MSNP7: the reverse list is complete.
	rlDone           bool
	seenGTC, seenBLP bool
	skipped          int

	structDone bool // MSNP8: every announced line has arrived
	done       bool // the result is handed over; later lines are the tail
	tailOver   bool // MSNP8: a line that is not a late BPR ended the tail
	result     *ContactList
	err        error
	doneCh     chan struct{}
	fenceCh    chan struct{} // closed when only GTC or BLP is missing
}

// newSyncBuilder starts a builder for a SYN that sends cached's version.
func newSyncBuilder(dialect Protocol, cached *ContactList) *syncBuilder {
	b := &syncBuilder{dialect: dialect, cached: cached,
		doneCh: make(chan struct{}), fenceCh: make(chan struct{})}
	if cached != nil {
		b.requested = cached.Version
	}
	return b
}

// begin reads the SYN reply: "SYN n ver" when the list is unchanged,
// else "SYN n ver nLST nLSG" (MSNP8) or "SYN n ver" followed by the
// stream (MSNP7).
// It runs once, on whichever goroutine sees the reply first: the reader
// when a stream line follows, or Sync.
func (b *syncBuilder) begin(reply *Command) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.beginLocked(reply)
}

// beginLocked is begin; the caller holds mu.
func (b *syncBuilder) beginLocked(reply *Command) {
	if b.begun {
		return
	}
	b.begun = true
	b.trid = reply.TrID
	args := reply.Args
	if len(args) == 0 {
		b.fail(protocolErrorf("SYN: missing version"))
		return
	}
	ver, ok := parseVersion(args[0])
	if !ok {
		b.fail(protocolErrorf("SYN: bad version"))
		return
	}
	switch {
	case len(args) == 1 && ver == b.requested:
		b.result = b.cached
		if b.result == nil {
			b.result = NewContactList()
		}
		b.finish()
		return
	case len(args) == 1 && b.dialect == MSNP8:
		b.fail(protocolErrorf("SYN: version %d without a list (asked %d)", ver, b.requested))
		return
	case len(args) == 1 && b.dialect == MSNP7:
	case len(args) == 3 && b.dialect == MSNP8:
		nLST, ok1 := parseCount(args[1])
		nLSG, ok2 := parseCount(args[2])
		if !ok1 || !ok2 {
			b.fail(protocolErrorf("SYN: bad list counts"))
			return
		}
		if nLST > MaxContacts || nLSG > MaxGroups {
			b.fail(protocolErrorf("SYN: %d contacts and %d groups exceed the limits (%d, %d)",
				nLST, nLSG, MaxContacts, MaxGroups))
			return
		}
		b.wantLST, b.wantLSG = nLST, nLSG
	default:
		b.fail(protocolErrorf("SYN: unexpected reply with %d fields", len(args)))
		return
	}
	b.list = NewContactList()
	b.list.Version = ver
	b.check()
}

// feed offers one line no call claimed. It reports whether the line
// belonged to the stream, and returns an event to emit: a Malformed for
// a skipped line, or a ListChange for a late BPR.
func (b *syncBuilder) feed(cmd *Command) (bool, Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.begun && b.call != nil {
		// The reader completed the SYN call before passing on this
		// line, so a reply that came is visible here.
		select {
		case <-b.call.Done():
			if b.call.Reply != nil {
				b.beginLocked(b.call.Reply)
			}
		default:
		}
	}
	if b.list == nil && !b.done {
		return false, nil // the SYN reply has not arrived
	}
	if b.done {
		return b.tail(cmd)
	}
	var ours bool
	var err error
	if b.dialect == MSNP8 {
		ours, err = b.feed8(cmd)
	} else {
		ours, err = b.feed7(cmd)
	}
	if !ours {
		return false, nil
	}
	var ev Event
	if err != nil {
		b.skipped++
		ev = &Malformed{Err: err}
	}
	if !b.done {
		b.check()
	}
	return true, ev
}

// check completes an MSNP8 list when every announced line and both
// settings have arrived, and asks for a fence when only the settings are
// missing. An MSNP7 stream ends at the fence sent with the SYN.
func (b *syncBuilder) check() {
	if b.dialect != MSNP8 {
		return
	}
	if !b.structDone {
		b.structDone = b.gotLST >= b.wantLST && b.gotLSG >= b.wantLSG
		if !b.structDone {
			return
		}
		if !b.seenGTC || !b.seenBLP {
			close(b.fenceCh)
			return
		}
	}
	if b.seenGTC && b.seenBLP {
		b.complete()
	}
}

// complete hands the list over. A list in which lines were skipped
// keeps version 0, so that the next Sync fetches it whole.
func (b *syncBuilder) complete() {
	if b.done {
		return
	}
	b.result = b.list
	if b.last != nil {
		b.lastEmail = b.last.Email
	}
	if b.skipped > 0 {
		b.result.Version = 0
	}
	b.finish()
}

// fail ends the stream with err.
func (b *syncBuilder) fail(err error) {
	if b.done {
		return
	}
	b.err = err
	b.finish()
}

// finish marks the builder done and wakes Sync.
func (b *syncBuilder) finish() {
	b.done = true
	close(b.doneCh)
}

// endAtFence ends the stream when the QNG of a fence arrived: the server
// answers in order, so every line it sent before has been fed. It is
// called by Sync, not the reader. An MSNP7 stream whose reverse list
// never completed counts as having skipped lines.
func (b *syncBuilder) endAtFence() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return
	}
	if b.list == nil {
		b.fail(protocolErrorf("SYN: no reply"))
		return
	}
	if b.dialect == MSNP7 && !b.rlDone {
		b.skipped++
	}
	b.complete()
}

// outcome returns the result once done.
func (b *syncBuilder) outcome() (*ContactList, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.result, b.err
}

// tail absorbs what is left of the stream after the result was handed
// over. MSNP8: BPR lines for the last contact become ListChange events
// until another line arrives; stray stream lines are dropped. MSNP7:
// lines tagged with the SYN's TrID are dropped.
func (b *syncBuilder) tail(cmd *Command) (bool, Event) {
	if b.dialect == MSNP7 {
		return cmd.HasTrID && cmd.TrID == b.trid && isStreamVerb(cmd.Verb), nil
	}
	if b.tailOver || cmd.HasTrID || !isStreamLine8(cmd) {
		b.tailOver = true
		return false, nil
	}
	if cmd.Verb == "BPR" && b.lastEmail != "" {
		return true, &ListChange{Kind: ChangePhone, Email: b.lastEmail, Key: cmd.Args[0],
			Value: limitName(decodeName(argOr(cmd.Args, 1))), Group: NoGroup}
	}
	return true, nil
}
