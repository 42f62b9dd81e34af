package proto

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"msn/proto/internal/engine"
)

// Limits on what a contact list keeps, whatever the server sends.
const (
	// MaxContacts bounds the contacts of one list.
	MaxContacts = 10000
	// MaxGroups bounds the groups of one list.
	MaxGroups = 500
	// MaxNameBytes bounds a decoded friendly, group or phone name kept.
	MaxNameBytes = 1 << 10

	// maxEmailBytes bounds a contact's e-mail address.
	maxEmailBytes = 254
)

// NoGroup stands for "no group" where a group id is optional.
const NoGroup = -1

// List is a set of the four contact lists, as the MSNP8 list bits spell
// it: FL=1, AL=2, BL=4, RL=8.
type List uint8

// The four lists.
const (
	// ForwardList holds your contacts (FL).
	ForwardList List = 1
	// AllowList holds the people allowed to see you and message you (AL).
	AllowList List = 2
	// BlockList holds the people blocked from seeing and messaging you (BL).
	BlockList List = 4
	// ReverseList holds the people who have you on their forward list
	// (RL); the server keeps it.
	ReverseList List = 8

	allLists = ForwardList | AllowList | BlockList | ReverseList
)

var listCodes = []struct {
	list       List
	code, name string
}{
	{ForwardList, "FL", "forward"},
	{AllowList, "AL", "allow"},
	{BlockList, "BL", "block"},
	{ReverseList, "RL", "reverse"},
}

// String returns the wire codes of the lists in l, joined by commas:
// "FL", "FL,AL,RL"; "" for none.
func (l List) String() string {
	var codes []string
	for _, c := range listCodes {
		if l&c.list != 0 {
			codes = append(codes, c.code)
		}
	}
	return strings.Join(codes, ",")
}

// Name returns the human name of a single list ("forward", "allow",
// "block", "reverse"), or the codes of a set.
func (l List) Name() string {
	for _, c := range listCodes {
		if l == c.list {
			return c.name
		}
	}
	return l.String()
}

// Has reports whether l includes every list in m.
func (l List) Has(m List) bool { return m != 0 && l&m == m }

// single reports whether l is exactly one list.
func (l List) single() bool { return l != 0 && l&(l-1) == 0 && l&^allLists == 0 }

// ParseList accepts a list's name ("forward") or wire code ("FL"), in
// any case.
func ParseList(s string) (List, bool) {
	for _, c := range listCodes {
		if strings.EqualFold(s, c.code) || strings.EqualFold(s, c.name) {
			return c.list, true
		}
	}
	return 0, false
}

// Privacy is what happens to people on neither the allow nor the block
// list (BLP).
type Privacy string

// The privacy modes.
const (
	// AllowUnlisted lets everyone who is not blocked see you and message
	// you (BLP AL).
	AllowUnlisted Privacy = "AL"
	// BlockUnlisted lets only people on the allow list see you and
	// message you (BLP BL).
	BlockUnlisted Privacy = "BL"
)

// Phone property keys (PRP for your own, BPR for a contact's).
const (
	PhoneHome   = "PHH"
	PhoneWork   = "PHW"
	PhoneMobile = "PHM"
	// MobilePaging is "Y" when contacts may page you on MSN Mobile.
	MobilePaging = "MOB"
	// MobileEnabled is set by the server: "Y" when MSN Mobile is set up.
	MobileEnabled = "MBE"
)

// phoneKey reports whether k is a known phone property key.
func phoneKey(k string) bool {
	switch k {
	case PhoneHome, PhoneWork, PhoneMobile, MobilePaging, MobileEnabled:
		return true
	}
	return false
}

// Contact is one person on any of the four lists.
type Contact struct {
	// Email is the contact's handle as the server spells it.
	Email string `json:"email"`
	// Name is the stored friendly name, decoded.
	Name string `json:"name,omitempty"`
	// Lists are the lists the contact is on.
	Lists List `json:"lists"`
	// Groups are the ids of the contact's groups (forward list only).
	Groups []int `json:"groups,omitempty"`
	// Phones maps PhoneHome, PhoneWork, PhoneMobile and MobilePaging
	// to their values.
	Phones map[string]string `json:"phones,omitempty"`
}

// Pending reports whether the contact added you and you have neither
// allowed nor blocked them.
func (c *Contact) Pending() bool {
	return c.Lists&ReverseList != 0 && c.Lists&(AllowList|BlockList) == 0
}

// InGroup reports whether the contact is in group id.
func (c *Contact) InGroup(id int) bool { return slices.Contains(c.Groups, id) }

// Group is a group of the forward list.
type Group struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// ContactList is the account's contact list as the server stores it:
// contacts, groups, privacy settings and own phone numbers, with the
// version that names it. It is a plain value: JSON-serialisable so that
// it can be cached, and not safe for concurrent use.
type ContactList struct {
	// Version is the server's serial of this list; Sync sends it to
	// learn whether anything changed.
	Version int `json:"version"`
	// Privacy is the BLP setting, "" when unknown.
	Privacy Privacy `json:"privacy,omitempty"`
	// NotifyOnAdd is the GTC setting: "A" to be asked when someone adds
	// you, "N" not to; "" when unknown.
	NotifyOnAdd string `json:"notify_on_add,omitempty"`
	// Phones are your own phone properties, by key.
	Phones map[string]string `json:"phones,omitempty"`
	// GroupMap holds the groups by id.
	GroupMap map[int]*Group `json:"groups,omitempty"`
	// ContactMap holds the contacts by lower-case e-mail address.
	ContactMap map[string]*Contact `json:"contacts,omitempty"`
}

// NewContactList returns an empty list of version 0.
func NewContactList() *ContactList {
	return &ContactList{GroupMap: map[int]*Group{}, ContactMap: map[string]*Contact{}}
}

// Contact returns the contact with the given e-mail address (in any
// case), or nil.
func (cl *ContactList) Contact(email string) *Contact {
	return cl.ContactMap[strings.ToLower(email)]
}

// Contacts returns every contact, sorted by e-mail address.
func (cl *ContactList) Contacts() []*Contact {
	return cl.filter(func(*Contact) bool { return true })
}

// On returns the contacts on list l, sorted by e-mail address.
func (cl *ContactList) On(l List) []*Contact {
	return cl.filter(func(c *Contact) bool { return c.Lists&l != 0 })
}

// Pending returns the people who added you and whom you have neither
// allowed nor blocked, sorted by e-mail address.
func (cl *ContactList) Pending() []*Contact {
	return cl.filter((*Contact).Pending)
}

// filter returns the contacts keep accepts, sorted by e-mail address in
// lower case (lowered once per contact, not at every comparison).
func (cl *ContactList) filter(keep func(*Contact) bool) []*Contact {
	type keyed struct {
		key string
		c   *Contact
	}
	kept := make([]keyed, 0, len(cl.ContactMap))
	for _, c := range cl.ContactMap {
		if keep(c) {
			kept = append(kept, keyed{strings.ToLower(c.Email), c})
		}
	}
	if len(kept) == 0 {
		return nil
	}
	slices.SortFunc(kept, func(a, b keyed) int { return cmp.Compare(a.key, b.key) })
	out := make([]*Contact, len(kept))
	for i, k := range kept {
		out[i] = k.c
	}
	return out
}

// Group returns the group with the given id, or nil.
func (cl *ContactList) Group(id int) *Group { return cl.GroupMap[id] }

// GroupByName returns the group with the given name, compared exactly
// first and then without regard to case, or nil.
func (cl *ContactList) GroupByName(name string) *Group {
	var folded *Group
	for _, g := range cl.Groups() {
		if g.Name == name {
			return g
		}
		if folded == nil && strings.EqualFold(g.Name, name) {
			folded = g
		}
	}
	return folded
}

// Groups returns the groups sorted by id.
func (cl *ContactList) Groups() []*Group {
	out := make([]*Group, 0, len(cl.GroupMap))
	for _, g := range cl.GroupMap {
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b *Group) int { return a.ID - b.ID })
	return out
}

// ensureMaps makes the maps of a list built by hand or by JSON usable.
func (cl *ContactList) ensureMaps() {
	if cl.GroupMap == nil {
		cl.GroupMap = map[int]*Group{}
	}
	if cl.ContactMap == nil {
		cl.ContactMap = map[string]*Contact{}
	}
}

// upsert returns the contact for email, creating it when there is room.
func (cl *ContactList) upsert(email string) *Contact {
	cl.ensureMaps()
	key := strings.ToLower(email)
	if c, ok := cl.ContactMap[key]; ok {
		return c
	}
	if len(cl.ContactMap) >= MaxContacts {
		return nil
	}
	c := &Contact{Email: email}
	cl.ContactMap[key] = c
	return c
}

// setPhone sets or, for an empty value, clears a phone property.
func setPhone(m *map[string]string, key, value string) {
	if value == "" {
		delete(*m, key)
		return
	}
	if *m == nil {
		*m = map[string]string{}
	}
	(*m)[key] = value
}

// decodeName percent-decodes a friendly name; an undecodable name is
// returned as sent.
func decodeName(s string) string { return engine.DecodeName(s) }

// limitName cuts s to MaxNameBytes without splitting a UTF-8 sequence.
func limitName(s string) string {
	if len(s) <= MaxNameBytes {
		return s
	}
	cut := MaxNameBytes
	for i := 0; i < utf8.UTFMax-1 && !utf8.RuneStart(s[cut]); i++ {
		cut--
	}
	return s[:cut]
}
