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
// other than NoGroup removes the contact from that group only.
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
// first if it is there; both commands go out in one write.
func (n *Notification) Block(ctx context.Context, email string) (*ListChange, error) {
	return n.move(ctx, AllowList, BlockList, email)
}

// Allow moves email onto the allow list, taking it off the block list
// first if it is there; both commands go out in one write.
func (n *Notification) Allow(ctx context.Context, email string) (*ListChange, error) {
	return n.move(ctx, BlockList, AllowList, email)
}

// Unblock takes email off the block list.
func (n *Notification) Unblock(ctx context.Context, email string) (*ListChange, error) {
	return n.RemoveContact(ctx, BlockList, email, NoGroup)
}

// move removes email from one list and adds it to another, pipelined.
// "Not on that list" (216) from the removal is expected and ignored.
// The change returned is the addition: applied to a ContactList, it
// also clears the other list.
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
	if remErr != nil && !errors.Is(remErr, &ServerError{Code: 216}) {
		return nil, remErr
	}
	if addErr != nil {
		return nil, addErr
	}
	return parseAdd(reply)
}
