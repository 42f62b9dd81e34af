package proto

import (
	"strconv"
	"strings"

	"msn/proto/internal/engine"
)

// feedSetting takes the account settings of a list stream, which both
// protocols send alike once the version field is gone: GTC, BLP and
// PRP. It reports whether verb was one of them.
func (b *syncBuilder) feedSetting(verb string, a []string) (bool, error) {
	switch verb {
	case "GTC":
		return true, b.setGTC(a)
	case "BLP":
		return true, b.setBLP(a)
	case "PRP":
		return true, b.setOwnPhone(a)
	}
	return false, nil
}

// setGTC takes the add notification setting: "A" or "N".
func (b *syncBuilder) setGTC(a []string) error {
	if len(a) != 1 || (a[0] != "A" && a[0] != "N") {
		return protocolErrorf("GTC: bad setting")
	}
	b.list.NotifyOnAdd, b.seenGTC = a[0], true
	return nil
}

// setBLP takes the privacy setting: "AL" or "BL".
func (b *syncBuilder) setBLP(a []string) error {
	if len(a) != 1 || (a[0] != string(AllowUnlisted) && a[0] != string(BlockUnlisted)) {
		return protocolErrorf("BLP: bad setting")
	}
	b.list.Privacy, b.seenBLP = Privacy(a[0]), true
	return nil
}

// setOwnPhone takes "KEY [value]"; unknown keys are ignored.
func (b *syncBuilder) setOwnPhone(a []string) error {
	if len(a) < 1 || len(a) > 2 {
		return protocolErrorf("PRP: want 1 or 2 fields, got %d", len(a))
	}
	if phoneKey(a[0]) {
		setPhone(&b.list.Phones, a[0], limitName(decodeName(argOr(a, 1))))
	}
	return nil
}

// addGroup records a group, within MaxGroups.
func (b *syncBuilder) addGroup(idText, name string) error {
	id, ok := parseCount(idText)
	if !ok {
		return protocolErrorf("LSG: bad group id")
	}
	if _, exists := b.list.GroupMap[id]; !exists && len(b.list.GroupMap) >= MaxGroups {
		return protocolErrorf("LSG: more than %d groups", MaxGroups)
	}
	b.list.GroupMap[id] = &Group{ID: id, Name: limitName(decodeName(name))}
	return nil
}

// addContact records a contact on lists, merging with an earlier line
// for the same handle. Group ids count only on the forward list.
func (b *syncBuilder) addContact(email, name string, lists List, groups string) (*Contact, error) {
	if len(email) > maxEmailBytes || !strings.Contains(email, "@") {
		return nil, protocolErrorf("LST: bad handle")
	}
	var ids []int
	if groups != "" && lists&ForwardList != 0 {
		var err error
		if ids, err = parseGroupIDs(groups); err != nil {
			return nil, err
		}
	}
	c := b.list.upsert(email)
	if c == nil {
		err := protocolErrorf("list of more than %d contacts", MaxContacts)
		b.fail(err)
		return nil, err
	}
	c.Lists |= lists
	c.Name = limitName(decodeName(name))
	for _, id := range ids {
		if !c.InGroup(id) {
			c.Groups = append(c.Groups, id)
		}
	}
	return c, nil
}

// parseGroupIDs reads "0,1,5": distinct ids, at most MaxGroups.
func parseGroupIDs(s string) ([]int, error) {
	parts := strings.Split(s, ",")
	if len(parts) > MaxGroups {
		return nil, protocolErrorf("LST: too many groups")
	}
	ids := make([]int, 0, len(parts))
	for _, p := range parts {
		id, ok := parseCount(p)
		if !ok {
			return nil, protocolErrorf("LST: bad group id")
		}
		dup := false
		for _, seen := range ids {
			dup = dup || seen == id
		}
		if !dup {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// parseCount reads a non-negative decimal of at most nine digits.
func parseCount(s string) (int, bool) {
	if !engine.IsDigits(s) || len(s) > 9 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// parseVersion reads a list version: a non-negative decimal of at most
// eighteen digits.
func parseVersion(s string) (int, bool) {
	if !engine.IsDigits(s) || len(s) > 18 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// argOr returns a[i], or "" when there is none.
func argOr(a []string, i int) string {
	if i < len(a) {
		return a[i]
	}
	return ""
}
