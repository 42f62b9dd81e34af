package proto

import (
	"context"
	"errors"
	"fmt"

	"msn/proto/internal/engine"
)

// SetFriendlyName changes your own friendly name, which contacts see.
func (n *Notification) SetFriendlyName(ctx context.Context, name string) (*ListChange, error) {
	if n.handle == "" {
		return nil, errors.New("proto: own handle unknown: not signed in")
	}
	return n.RenameContact(ctx, n.handle, name)
}

// RenameContact changes the friendly name stored for a contact (or,
// with your own handle, your friendly name).
func (n *Notification) RenameContact(ctx context.Context, email, name string) (*ListChange, error) {
	if err := checkEmail(email); err != nil {
		return nil, err
	}
	enc, err := friendlyName(name)
	if err != nil {
		return nil, err
	}
	reply, err := n.c.Call(ctx, &Command{Verb: "REA", Args: []string{email, enc}})
	if err != nil {
		return nil, err
	}
	// REA n ver handle name
	if len(reply.Args) < 3 {
		return nil, protocolErrorf("REA: too few fields")
	}
	ver, err := replyVersion("REA", reply.Args[0])
	if err != nil {
		return nil, err
	}
	return &ListChange{Kind: ChangeName, Email: reply.Args[1], Name: decodeName(reply.Args[2]),
		Group: NoGroup, Version: ver}, nil
}

// SetPhone sets one of your phone properties: PhoneHome, PhoneWork or
// PhoneMobile to a number ("" clears it), or MobilePaging to "Y" or "N".
func (n *Notification) SetPhone(ctx context.Context, key, value string) (*ListChange, error) {
	args := []string{key}
	switch key {
	case PhoneHome, PhoneWork, PhoneMobile:
		if value != "" {
			enc := encodeName(value)
			if len(enc) > MaxPhone {
				return nil, fmt.Errorf("%w: phone number longer than %d bytes encoded", ErrInvalidArgument, MaxPhone)
			}
			args = append(args, enc)
		}
	case MobilePaging:
		if value != "Y" && value != "N" {
			return nil, fmt.Errorf("%w: %s takes Y or N", ErrInvalidArgument, key)
		}
		args = append(args, value)
	default:
		return nil, fmt.Errorf("%w: unknown phone property %q", ErrInvalidArgument, engine.EscapeForError(key))
	}
	reply, err := n.c.Call(ctx, &Command{Verb: "PRP", Args: args})
	if err != nil {
		return nil, err
	}
	return parsePRPReply(reply, key)
}

// parsePRPReply reads the answer to "PRP n key [value]": "PRP n ver key
// [value]", or, from a revival server that keeps no list version for
// properties (transcripts/08 q6, q7), "PRP n key [value]". A change
// without a version has Version 0, which leaves a list's version alone.
func parsePRPReply(reply *Command, key string) (*ListChange, error) {
	a := reply.Args
	ver := 0
	if len(a) >= 1 && a[0] != key {
		v, err := replyVersion("PRP", a[0])
		if err != nil {
			return nil, err
		}
		ver, a = v, a[1:]
	}
	if len(a) < 1 {
		return nil, protocolErrorf("PRP: too few fields")
	}
	if a[0] != key {
		return nil, protocolErrorf("PRP: reply names another property")
	}
	return &ListChange{Kind: ChangePhone, Key: a[0], Value: decodeName(argOr(a, 1)),
		Group: NoGroup, Version: ver}, nil
}

// SetPrivacy sets who may see and message you when they are on neither
// the allow nor the block list. ErrListState means it was already set.
func (n *Notification) SetPrivacy(ctx context.Context, p Privacy) (*ListChange, error) {
	if p != AllowUnlisted && p != BlockUnlisted {
		return nil, fmt.Errorf("%w: privacy %q", ErrInvalidArgument, engine.EscapeForError(string(p)))
	}
	return n.setting(ctx, "BLP", string(p), ChangePrivacy)
}

// SetNotifyOnAdd stores whether you want to be asked when someone adds
// you (GTC A) or not (GTC N). ErrListState means it was already set.
func (n *Notification) SetNotifyOnAdd(ctx context.Context, notify bool) (*ListChange, error) {
	v := "N"
	if notify {
		v = "A"
	}
	return n.setting(ctx, "GTC", v, ChangeNotifyOnAdd)
}

// setting sends "VERB n value" and reads "VERB n ver value".
func (n *Notification) setting(ctx context.Context, verb, value string, kind ChangeKind) (*ListChange, error) {
	reply, err := n.c.Call(ctx, &Command{Verb: verb, Args: []string{value}})
	if err != nil {
		return nil, err
	}
	if len(reply.Args) < 2 {
		return nil, protocolErrorf("%s: too few fields", verb)
	}
	ver, err := replyVersion(verb, reply.Args[0])
	if err != nil {
		return nil, err
	}
	return &ListChange{Kind: kind, Value: reply.Args[1], Group: NoGroup, Version: ver}, nil
}
