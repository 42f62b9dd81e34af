package proto

import (
	"fmt"
	"strconv"
	"strings"

	"msn/proto/internal/engine"
)

// addCommand builds "ADD n LIST email name [group]".
func addCommand(list List, email, name string, group int) (*Command, error) {
	if err := checkList(list); err != nil {
		return nil, err
	}
	if err := checkEmail(email); err != nil {
		return nil, err
	}
	if name == "" {
		name = email
	}
	enc, err := friendlyName(name)
	if err != nil {
		return nil, err
	}
	args := []string{list.String(), email, enc}
	if group != NoGroup {
		if list != ForwardList || group < 0 {
			return nil, fmt.Errorf("%w: group %d on the %s list", ErrInvalidArgument, group, list.Name())
		}
		args = append(args, strconv.Itoa(group))
	}
	return &Command{Verb: "ADD", Args: args}, nil
}

// remCommand builds "REM n LIST email [group]".
func remCommand(list List, email string, group int) (*Command, error) {
	if err := checkList(list); err != nil {
		return nil, err
	}
	if err := checkEmail(email); err != nil {
		return nil, err
	}
	args := []string{list.String(), email}
	if group != NoGroup {
		if list != ForwardList || group < 0 {
			return nil, fmt.Errorf("%w: group %d on the %s list", ErrInvalidArgument, group, list.Name())
		}
		args = append(args, strconv.Itoa(group))
	}
	return &Command{Verb: "REM", Args: args}, nil
}

// parseAdd reads "ADD n LIST ver email name [group]".
func parseAdd(reply *Command) (*ListChange, error) {
	a := reply.Args
	if len(a) < 4 {
		return nil, protocolErrorf("ADD: too few fields")
	}
	list, ok := ParseList(a[0])
	if !ok || !list.single() {
		return nil, protocolErrorf("ADD: unknown list")
	}
	ver, err := replyVersion("ADD", a[1])
	if err != nil {
		return nil, err
	}
	ch := &ListChange{Kind: ChangeAdd, List: list, Email: a[2], Name: decodeName(a[3]), Group: NoGroup, Version: ver}
	if len(a) >= 5 {
		if ch.Group, ok = parseCount(a[4]); !ok {
			return nil, protocolErrorf("ADD: bad group id")
		}
	}
	return ch, nil
}

// parseRem reads "REM n LIST ver email [group]".
func parseRem(reply *Command) (*ListChange, error) {
	a := reply.Args
	if len(a) < 3 {
		return nil, protocolErrorf("REM: too few fields")
	}
	list, ok := ParseList(a[0])
	if !ok || !list.single() {
		return nil, protocolErrorf("REM: unknown list")
	}
	ver, err := replyVersion("REM", a[1])
	if err != nil {
		return nil, err
	}
	ch := &ListChange{Kind: ChangeRemove, List: list, Email: a[2], Group: NoGroup, Version: ver}
	if len(a) >= 4 {
		if ch.Group, ok = parseCount(a[3]); !ok {
			return nil, protocolErrorf("REM: bad group id")
		}
	}
	return ch, nil
}

// checkList accepts exactly one of the lists a client may change.
func checkList(l List) error {
	if l == ReverseList {
		return fmt.Errorf("%w: the reverse list is kept by the server", ErrInvalidArgument)
	}
	if !l.single() {
		return fmt.Errorf("%w: list %q", ErrInvalidArgument, l.String())
	}
	return nil
}

// checkEmail accepts an address that can be sent as one field and that
// CheckAccount accepts (no bidi control, zero-width or other hidden
// character).
func checkEmail(email string) error {
	if !engine.ValidArg(email) || !strings.Contains(email, "@") || len(email) > maxEmailBytes {
		return fmt.Errorf("%w: %q is not an e-mail address", ErrInvalidArgument, engine.EscapeForError(email))
	}
	return CheckAccount(email)
}

// friendlyName encodes a friendly name for the wire.
func friendlyName(name string) (string, error) {
	enc := encodeName(name)
	if enc == "" || len(enc) > MaxFriendlyName {
		return "", fmt.Errorf("%w: friendly name must be 1 to %d bytes encoded", ErrInvalidArgument, MaxFriendlyName)
	}
	return enc, nil
}

// groupName encodes a group name for the wire.
func groupName(name string) (string, error) {
	enc := encodeName(name)
	if enc == "" || len(enc) > MaxGroupName {
		return "", fmt.Errorf("%w: group name must be 1 to %d bytes encoded", ErrInvalidArgument, MaxGroupName)
	}
	return enc, nil
}

// replyVersion reads the list version of a reply.
func replyVersion(verb, s string) (int, error) {
	v, ok := parseVersion(s)
	if !ok {
		return 0, protocolErrorf("%s: bad list version", verb)
	}
	return v, nil
}

// versionAndID reads the list version and group id of a group reply.
func versionAndID(verText, idText string) (int, int, error) {
	ver, ok1 := parseVersion(verText)
	id, ok2 := parseCount(idText)
	if !ok1 || !ok2 {
		return 0, 0, protocolErrorf("bad list version or group id")
	}
	return ver, id, nil
}
