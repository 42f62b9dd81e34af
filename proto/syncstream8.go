package proto

// feed8 takes an MSNP8 stream line: untagged GTC, BLP, PRP, LSG, LST and
// BPR.
func (b *syncBuilder) feed8(cmd *Command) (bool, error) {
	if cmd.HasTrID || !isStreamLine8(cmd) {
		return false, nil
	}
	a := cmd.Args
	if ok, err := b.feedSetting(cmd.Verb, a); ok {
		return true, err
	}
	switch cmd.Verb {
	case "LSG":
		b.gotLSG++
		if len(a) < 2 || len(a) > 3 {
			return true, protocolErrorf("LSG: want 2 or 3 fields, got %d", len(a))
		}
		return true, b.addGroup(a[0], a[1])
	case "LST":
		b.gotLST++
		b.last = nil
		if len(a) < 3 || len(a) > 4 {
			return true, protocolErrorf("LST: want 3 or 4 fields, got %d", len(a))
		}
		bits, ok := parseCount(a[2])
		if !ok || bits == 0 || bits > int(allLists) {
			return true, protocolErrorf("LST: bad list bits")
		}
		groups := ""
		if len(a) == 4 {
			groups = a[3]
		}
		c, err := b.addContact(a[0], a[1], List(bits), groups)
		b.last = c
		return true, err
	case "BPR":
		if b.last == nil {
			return true, nil // an orphan: no contact to attach it to
		}
		setPhone(&b.last.Phones, a[0], limitName(decodeName(argOr(a, 1))))
		return true, nil
	}
	return false, nil
}

// isStreamLine8 reports whether an untagged line has the shape of an
// MSNP8 stream line; the async BPR ("BPR ver handle key [value]") does
// not.
func isStreamLine8(cmd *Command) bool {
	switch cmd.Verb {
	case "GTC", "BLP", "PRP", "LSG", "LST":
		return true
	case "BPR":
		return len(cmd.Args) >= 1 && len(cmd.Args) <= 2 && phoneKey(cmd.Args[0])
	}
	return false
}
