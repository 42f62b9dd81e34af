package commands

import (
	"errors"
	"fmt"

	"msn/proto"
)

// listError is a contact-list request the server refused, told in the
// user's words; it wraps the server's error.
type listError struct {
	msg string
	err error
}

// Error returns the message for the user.
func (e *listError) Error() string { return e.msg }

// Unwrap returns the server's error.
func (e *listError) Unwrap() error { return e.err }

// listCode maps the contact-list refusals: a change already in effect
// (65), something that is not on the list or a group that does not exist
// (66), a full list (73). Unknown accounts are 67 like every unknown user.
func listCode(err error) (int, bool) {
	var se *proto.ServerError
	if !errors.As(err, &se) {
		return 0, false
	}
	switch se.Code {
	case 216, 224, 225, 231:
		return ExNoInput, true
	}
	switch {
	case errors.Is(err, proto.ErrListFull):
		return ExCantCreat, true
	case errors.Is(err, proto.ErrListState):
		return ExDataErr, true
	}
	return 0, false
}

// explainList turns a refusal of a request about email on list l into a
// clear message with its exit code; other errors pass unchanged.
func explainList(err error, email string, l proto.List) error {
	var se *proto.ServerError
	if !errors.As(err, &se) {
		return err
	}
	var msg, hint string
	switch se.Code {
	case 205, 207, 208:
		msg = fmt.Sprintf("%s: no such account", email)
	case 215:
		msg = fmt.Sprintf("%s is already on your %s list", email, l.Name())
	case 216:
		return &notOnListError{email: email, list: l, err: err}
	case 219:
		msg = fmt.Sprintf("%s is on your %s list", email, opposite(l).Name())
		if l == proto.AllowList {
			hint = "msn contacts allow " + email + " moves them"
		} else {
			hint = "msn contacts block " + email + " moves them"
		}
	case 210:
		msg = fmt.Sprintf("your %s list is full", l.Name())
	default:
		return err
	}
	return withHint(&listError{msg: msg, err: err}, hint)
}

// explainRemoval turns a refusal of the removal of email from list l
// into a clear message with its exit code. "Not on that list" is 216,
// or 205 from a revival server for an address with no entry in your
// lists (transcripts/08 q5): never "no such account" here.
func explainRemoval(err error, email string, l proto.List) error {
	if proto.NotOnList(err) {
		return &notOnListError{email: email, list: l, err: err}
	}
	return explainList(err, email, l)
}

// notOnListError is a change that needs a contact on a list, or in a
// group, where it is not (exit 66): found in the synced list before
// anything was sent (err is nil), or in the server's answer to a
// removal (err).
type notOnListError struct {
	email string
	list  proto.List // the list, when group is ""
	group string     // the group's name
	err   error
}

// Error says where the contact is not.
func (e *notOnListError) Error() string {
	if e.group != "" {
		return fmt.Sprintf("%s is not in group %s", e.email, quote(e.group))
	}
	return fmt.Sprintf("%s is not on your %s list", e.email, e.list.Name())
}

// Unwrap returns the server's answer, or nil.
func (e *notOnListError) Unwrap() error { return e.err }

// Hint says where to look.
func (e *notOnListError) Hint() string {
	if e.group != "" {
		return "msn contacts list --group " + shellQuote(e.group) + " lists that group"
	}
	return "msn contacts list shows who is on which list"
}

// explainGroup turns a refusal of a request about group name into a
// clear message with its exit code; other errors pass unchanged.
func explainGroup(err error, name string) error {
	var se *proto.ServerError
	if !errors.As(err, &se) {
		return err
	}
	var msg string
	switch se.Code {
	case 223:
		msg = "too many groups"
	case 224, 231:
		msg = fmt.Sprintf("no group named %s", quote(name))
	case 225:
		msg = fmt.Sprintf("not in group %s", quote(name))
	case 227:
		msg = fmt.Sprintf("group %s is not empty", quote(name))
	case 228:
		msg = fmt.Sprintf("a group named %s exists already", quote(name))
	case 229:
		msg = fmt.Sprintf("group name %s is too long", quote(name))
	case 230:
		msg = "the default group cannot be removed"
	default:
		return err
	}
	return &listError{msg: msg, err: err}
}

// opposite returns the block list for the allow list and the other way
// round.
func opposite(l proto.List) proto.List {
	if l == proto.AllowList {
		return proto.BlockList
	}
	return proto.AllowList
}
