package proto

import (
	"slices"
	"strings"
)

// ChangeKind says what a ListChange changed.
type ChangeKind string

// The kinds of list change.
const (
	// ChangeAdd: Email (with Name) was added to List; on the forward
	// list, to Group when it is not NoGroup.
	ChangeAdd ChangeKind = "add"
	// ChangeRemove: Email was removed from List; on the forward list,
	// from Group only when it is not NoGroup.
	ChangeRemove ChangeKind = "remove"
	// ChangeAddGroup: group Group named Name was created.
	ChangeAddGroup ChangeKind = "add-group"
	// ChangeRemoveGroup: group Group was removed.
	ChangeRemoveGroup ChangeKind = "remove-group"
	// ChangeRenameGroup: group Group is now called Name.
	ChangeRenameGroup ChangeKind = "rename-group"
	// ChangeName: the friendly name stored for Email is now Name.
	ChangeName ChangeKind = "name"
	// ChangePhone: phone property Key of Email (your own when Email is
	// "") is now Value; "" clears it.
	ChangePhone ChangeKind = "phone"
	// ChangePrivacy: the privacy mode (BLP) is now Value.
	ChangePrivacy ChangeKind = "privacy"
	// ChangeNotifyOnAdd: the add notification setting (GTC) is now
	// Value, "A" or "N".
	ChangeNotifyOnAdd ChangeKind = "notify-on-add"
)

// ListChange is a change to the contact list: the server's reply to a
// list command, or a change the server pushed (a contact's phone
// number, BPR). ContactList.Apply records it.
type ListChange struct {
	Kind    ChangeKind `json:"kind"`
	List    List       `json:"list,omitempty"`
	Email   string     `json:"email,omitempty"`
	Name    string     `json:"name,omitempty"`
	Group   int        `json:"group"`
	Key     string     `json:"key,omitempty"`
	Value   string     `json:"value,omitempty"`
	Version int        `json:"version"`
}

func (*ListChange) isEvent() {}

// Apply records a change the server confirmed or pushed: a *ListChange,
// or a *ReverseListChange (someone added or removed you). Other events
// are ignored. It reports whether the list changed.
func (cl *ContactList) Apply(ev Event) bool {
	cl.ensureMaps()
	switch ev := ev.(type) {
	case *ListChange:
		if !cl.applyChange(ev) {
			return false
		}
		cl.setVersion(ev.Version)
		return true
	case *ReverseListChange:
		if ev.Added {
			c := cl.upsert(ev.Email)
			if c == nil {
				return false
			}
			c.Lists |= ReverseList
			if ev.Name != "" {
				c.Name = limitName(ev.Name)
			}
		} else if c := cl.Contact(ev.Email); c != nil {
			c.Lists &^= ReverseList
			cl.dropIfEmpty(c)
		}
		cl.setVersion(ev.Version)
		return true
	}
	return false
}

// setVersion records the version of a change; 0 means none.
func (cl *ContactList) setVersion(v int) {
	if v > 0 {
		cl.Version = v
	}
}

// applyChange records one ListChange and reports whether it applied.
func (cl *ContactList) applyChange(ch *ListChange) bool {
	switch ch.Kind {
	case ChangeAdd:
		c := cl.upsert(ch.Email)
		if c == nil || !ch.List.single() {
			return false
		}
		c.Lists |= ch.List
		// The server never keeps anyone on both the allow and the block
		// list (219), so moving onto one takes the contact off the other.
		switch ch.List {
		case AllowList:
			c.Lists &^= BlockList
		case BlockList:
			c.Lists &^= AllowList
		case ForwardList:
			if ch.Group != NoGroup && !c.InGroup(ch.Group) && len(c.Groups) < MaxGroups {
				c.Groups = append(c.Groups, ch.Group)
			}
		}
		if ch.Name != "" {
			c.Name = limitName(ch.Name)
		}
	case ChangeRemove:
		c := cl.Contact(ch.Email)
		if c == nil {
			return false
		}
		if ch.List == ForwardList && ch.Group != NoGroup {
			c.Groups = slices.DeleteFunc(c.Groups, func(id int) bool { return id == ch.Group })
		} else {
			c.Lists &^= ch.List
			if ch.List == ForwardList {
				c.Groups = nil
			}
		}
		cl.dropIfEmpty(c)
	case ChangeAddGroup, ChangeRenameGroup:
		if _, ok := cl.GroupMap[ch.Group]; !ok && len(cl.GroupMap) >= MaxGroups {
			return false
		}
		cl.GroupMap[ch.Group] = &Group{ID: ch.Group, Name: limitName(ch.Name)}
	case ChangeRemoveGroup:
		delete(cl.GroupMap, ch.Group)
		for _, c := range cl.ContactMap {
			c.Groups = slices.DeleteFunc(c.Groups, func(id int) bool { return id == ch.Group })
		}
	case ChangeName:
		// A handle on none of the lists is your own: nothing to record
		// but the version.
		if c := cl.Contact(ch.Email); c != nil {
			c.Name = limitName(ch.Name)
		}
	case ChangePhone:
		if !phoneKey(ch.Key) {
			return false
		}
		if ch.Email == "" {
			setPhone(&cl.Phones, ch.Key, limitName(ch.Value))
			break
		}
		c := cl.Contact(ch.Email)
		if c == nil {
			return false
		}
		setPhone(&c.Phones, ch.Key, limitName(ch.Value))
	case ChangePrivacy:
		cl.Privacy = Privacy(ch.Value)
	case ChangeNotifyOnAdd:
		cl.NotifyOnAdd = ch.Value
	default:
		return false
	}
	return true
}

// dropIfEmpty forgets a contact that is on no list any more.
func (cl *ContactList) dropIfEmpty(c *Contact) {
	if c.Lists&allLists == 0 {
		delete(cl.ContactMap, strings.ToLower(c.Email))
	}
}
