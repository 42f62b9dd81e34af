package proto

import (
	"context"
	"errors"
)

// Limits on what list commands send, in encoded bytes.
const (
	// MaxFriendlyName bounds an encoded friendly name (REA, ADD).
	MaxFriendlyName = 387
	// MaxGroupName bounds an encoded group name (ADG, REG).
	MaxGroupName = 61
	// MaxPhone bounds an encoded phone number (PRP).
	MaxPhone = 95
)

// AddContact puts email on list: the forward list (with its friendly
// name, in group unless group is NoGroup), the allow list or the block
// list. An empty name sends the address as the name. The reverse list
// belongs to the server and is refused here. Errors from the server
// match ErrUnknownUser (no such account), ErrListState (already on the
// list, on the opposite list, no such group) or ErrListFull.
func (n *Notification) AddContact(ctx context.Context, list List, email, name string, group int) (*ListChange, error) {
	cmd, err := addCommand(list, email, name, group)
	if err != nil {
		return nil, err
	}
	reply, err := n.c.Call(ctx, cmd)
	if err != nil {
		return nil, err
	}
	return parseAdd(reply)
}

// RemoveContact takes email off list. On the forward list, a group
// other than NoGroup removes the contact from that group only. A
// contact who is not on the list is refused with 216 (MSN), or with 205
// when the address has no entry in any of your lists (the revival
// server, transcripts/08 q5), which here means "not on the list", not
// "no such account". A revival server also answers the removal of a
// contact who has an entry but is not on that list with success
// (transcripts/08 q4): check the synced list first.
func (n *Notification) RemoveContact(ctx context.Context, list List, email string, group int) (*ListChange, error) {
	cmd, err := remCommand(list, email, group)
	if err != nil {
		return nil, err
	}
	reply, err := n.c.Call(ctx, cmd)
	if err != nil {
		return nil, err
	}
	return parseRem(reply)
}

// Block moves email onto the block list, taking it off the allow list
// first; both commands go out in one write. For someone the synced list
// shows on neither list, AddContact(BlockList) is the same change in
// one request.
func (n *Notification) Block(ctx context.Context, email string) (*ListChange, error) {
	return n.move(ctx, AllowList, BlockList, email)
}

// Allow moves email onto the allow list, taking it off the block list
// first; both commands go out in one write. For someone the synced list
// shows on neither list, AddContact(AllowList) is the same change in
// one request.
func (n *Notification) Allow(ctx context.Context, email string) (*ListChange, error) {
	return n.move(ctx, BlockList, AllowList, email)
}

// Unblock takes email off the block list.
func (n *Notification) Unblock(ctx context.Context, email string) (*ListChange, error) {
	return n.RemoveContact(ctx, BlockList, email, NoGroup)
}

// move removes email from one list and adds it to another, pipelined.
// "Not on that list" from the removal (216, or 205 from a revival server
// for an address with no entry in your lists) is expected and ignored:
// the addition decides. The change returned is the addition: applied to
// a ContactList, it also clears the other list.
func (n *Notification) move(ctx context.Context, from, to List, email string) (*ListChange, error) {
	rem, err := remCommand(from, email, NoGroup)
	if err != nil {
		return nil, err
	}
	add, err := addCommand(to, email, "", NoGroup)
	if err != nil {
		return nil, err
	}
	calls := n.c.GoAll(ctx, rem, add)
	_, remErr := calls[0].Wait(ctx)
	reply, addErr := calls[1].Wait(ctx)
	if remErr != nil && !NotOnList(remErr) {
		return nil, remErr
	}
	if addErr != nil {
		return nil, addErr
	}
	return parseAdd(reply)
}

// NotOnList reports whether err, the answer to a removal (RemoveContact,
// Unblock), means that the contact is not on that list: 216, or 205
// from a revival server for an address with no entry in your lists.
func NotOnList(err error) bool {
	return errors.Is(err, &ServerError{Code: 216}) || errors.Is(err, &ServerError{Code: 205})
}
