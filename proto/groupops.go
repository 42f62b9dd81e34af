package proto

import (
	"context"
	"fmt"
	"strconv"
)

// AddGroup creates a group; the change's Group is its new id.
func (n *Notification) AddGroup(ctx context.Context, name string) (*ListChange, error) {
	enc, err := groupName(name)
	if err != nil {
		return nil, err
	}
	reply, err := n.c.Call(ctx, &Command{Verb: "ADG", Args: []string{enc, "0"}})
	if err != nil {
		return nil, err
	}
	// ADG n ver name id 0
	if len(reply.Args) < 3 {
		return nil, protocolErrorf("ADG: too few fields")
	}
	ver, id, err := versionAndID(reply.Args[0], reply.Args[2])
	if err != nil {
		return nil, err
	}
	return &ListChange{Kind: ChangeAddGroup, Group: id, Name: decodeName(reply.Args[1]), Version: ver}, nil
}

// RemoveGroup removes a group. Group 0 cannot be removed (ErrListState).
func (n *Notification) RemoveGroup(ctx context.Context, id int) (*ListChange, error) {
	if id < 0 {
		return nil, fmt.Errorf("%w: group id %d", ErrInvalidArgument, id)
	}
	reply, err := n.c.Call(ctx, &Command{Verb: "RMG", Args: []string{strconv.Itoa(id)}})
	if err != nil {
		return nil, err
	}
	// RMG n ver id
	if len(reply.Args) < 2 {
		return nil, protocolErrorf("RMG: too few fields")
	}
	ver, gid, err := versionAndID(reply.Args[0], reply.Args[1])
	if err != nil {
		return nil, err
	}
	return &ListChange{Kind: ChangeRemoveGroup, Group: gid, Version: ver}, nil
}

// RenameGroup renames a group.
func (n *Notification) RenameGroup(ctx context.Context, id int, name string) (*ListChange, error) {
	if id < 0 {
		return nil, fmt.Errorf("%w: group id %d", ErrInvalidArgument, id)
	}
	enc, err := groupName(name)
	if err != nil {
		return nil, err
	}
	reply, err := n.c.Call(ctx, &Command{Verb: "REG", Args: []string{strconv.Itoa(id), enc, "0"}})
	if err != nil {
		return nil, err
	}
	// REG n ver id name 0
	if len(reply.Args) < 3 {
		return nil, protocolErrorf("REG: too few fields")
	}
	ver, gid, err := versionAndID(reply.Args[0], reply.Args[1])
	if err != nil {
		return nil, err
	}
	return &ListChange{Kind: ChangeRenameGroup, Group: gid, Name: decodeName(reply.Args[2]), Version: ver}, nil
}
