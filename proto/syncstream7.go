package proto

import "msn/proto/internal/engine"

// feed7 takes an MSNP7 stream line: GTC, BLP, PRP, LSG and LST tagged
// with the SYN's TrID, and BPR lines ("BPR ver handle key [value]").
func (b *syncBuilder) feed7(cmd *Command) (bool, error) {
	if cmd.Verb == "BPR" && !cmd.HasTrID {
		a := cmd.Args
		if len(a) < 3 || len(a) > 4 || !engine.IsDigits(a[0]) {
			return false, nil
		}
		if c := b.list.Contact(a[1]); c != nil && phoneKey(a[2]) {
			setPhone(&c.Phones, a[2], limitName(decodeName(argOr(a, 3))))
		}
		return true, nil
	}
	if !cmd.HasTrID || cmd.TrID != b.trid || !isStreamVerb(cmd.Verb) {
		return false, nil
	}
	a := cmd.Args
	if len(a) == 0 {
		return true, protocolErrorf("%s: too few fields", cmd.Verb)
	}
	a = a[1:] // the version, repeated on every line
	if ok, err := b.feedSetting(cmd.Verb, a); ok {
		return true, err
	}
	switch cmd.Verb {
	case "LSG":
		// LSG n ver index total id name 0
		if len(a) < 4 || len(a) > 5 {
			return true, protocolErrorf("LSG: want 6 or 7 fields, got %d", len(a)+1)
		}
		if total, ok := parseCount(a[1]); !ok || total > MaxGroups {
			return true, protocolErrorf("LSG: bad total")
		}
		return true, b.addGroup(a[2], a[3])
	}
	return true, b.lst7(cmd.Args)
}

// lst7 takes "LST n LIST ver index total [handle name [groups]]".
func (b *syncBuilder) lst7(a []string) error {
	if len(a) < 4 {
		return protocolErrorf("LST: too few fields")
	}
	list, ok := ParseList(a[0])
	if !ok || len(a[0]) != 2 {
		return protocolErrorf("LST: unknown list")
	}
	index, ok1 := parseCount(a[2])
	total, ok2 := parseCount(a[3])
	if !ok1 || !ok2 || total > MaxContacts || index > total || (index == 0) != (total == 0) {
		return protocolErrorf("LST: bad index or total")
	}
	if list == ReverseList && index == total {
		b.rlDone = true
	}
	if total == 0 {
		if len(a) != 4 {
			return protocolErrorf("LST: empty list with a contact")
		}
		return nil
	}
	if len(a) < 6 || len(a) > 7 {
		return protocolErrorf("LST: want 8 or 9 fields, got %d", len(a)+2)
	}
	groups := ""
	if len(a) == 7 {
		groups = a[6]
	}
	_, err := b.addContact(a[4], a[5], list, groups)
	return err
}

// isStreamVerb reports whether verb may appear tagged in an MSNP7 stream.
func isStreamVerb(verb string) bool {
	switch verb {
	case "GTC", "BLP", "PRP", "LSG", "LST":
		return true
	}
	return false
}
