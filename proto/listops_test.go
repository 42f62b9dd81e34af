package proto

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"msn/proto/msntest"
)

func TestListOperations(t *testing.T) {
	ns, _, cc := scriptedNS(t, MSNP8, msntest.TestdataScript(t, "list_ops.txt"))
	ctx := msntest.Context(t)
	cl := NewContactList()
	cl.Version = 8
	cl.GroupMap[0] = &Group{ID: 0, Name: "Other Contacts"}
	cl.GroupMap[1] = &Group{ID: 1, Name: "Friends"}
	cl.Apply(&ListChange{Kind: ChangeAdd, List: ForwardList, Email: "bob@example.com", Name: "Bob", Group: 0})

	type step struct {
		name string
		do   func() (*ListChange, error)
		want ListChange
		// check runs after the change was applied.
		check func() bool
	}
	contact := func(email string) *Contact { return cl.Contact(email) }
	steps := []step{
		{"add to FL", func() (*ListChange, error) {
			return ns.AddContact(ctx, ForwardList, "carol@example.com", "", NoGroup)
		}, ListChange{Kind: ChangeAdd, List: ForwardList, Email: "carol@example.com", Name: "carol@example.com", Group: NoGroup, Version: 9},
			func() bool { return contact("carol@example.com").Lists == ForwardList }},
		{"add to FL in a group", func() (*ListChange, error) {
			return ns.AddContact(ctx, ForwardList, "dave@example.com", "Dave D.", 1)
		}, ListChange{Kind: ChangeAdd, List: ForwardList, Email: "dave@example.com", Name: "Dave D.", Group: 1, Version: 10},
			func() bool { return reflect.DeepEqual(contact("dave@example.com").Groups, []int{1}) }},
		{"remove from a group", func() (*ListChange, error) {
			return ns.RemoveContact(ctx, ForwardList, "dave@example.com", 1)
		}, ListChange{Kind: ChangeRemove, List: ForwardList, Email: "dave@example.com", Group: 1, Version: 11},
			func() bool { c := contact("dave@example.com"); return c.Lists == ForwardList && len(c.Groups) == 0 }},
		{"remove from FL", func() (*ListChange, error) {
			return ns.RemoveContact(ctx, ForwardList, "carol@example.com", NoGroup)
		}, ListChange{Kind: ChangeRemove, List: ForwardList, Email: "carol@example.com", Group: NoGroup, Version: 12},
			func() bool { return contact("carol@example.com") == nil }},
		{"add to AL", func() (*ListChange, error) {
			return ns.AddContact(ctx, AllowList, "bob@example.com", "", NoGroup)
		}, ListChange{Kind: ChangeAdd, List: AllowList, Email: "bob@example.com", Name: "bob@example.com", Group: NoGroup, Version: 13},
			func() bool { return contact("bob@example.com").Lists == ForwardList|AllowList }},
		{"block", func() (*ListChange, error) { return ns.Block(ctx, "bob@example.com") },
			ListChange{Kind: ChangeAdd, List: BlockList, Email: "bob@example.com", Name: "bob@example.com", Group: NoGroup, Version: 15},
			func() bool { return contact("bob@example.com").Lists == ForwardList|BlockList }},
		{"allow", func() (*ListChange, error) { return ns.Allow(ctx, "bob@example.com") },
			ListChange{Kind: ChangeAdd, List: AllowList, Email: "bob@example.com", Name: "bob@example.com", Group: NoGroup, Version: 17},
			func() bool { return contact("bob@example.com").Lists == ForwardList|AllowList }},
		{"unblock someone not blocked", func() (*ListChange, error) { return ns.Unblock(ctx, "bob@example.com") },
			ListChange{}, nil},
		{"block someone not allowed", func() (*ListChange, error) { return ns.Block(ctx, "erin@example.com") },
			ListChange{Kind: ChangeAdd, List: BlockList, Email: "erin@example.com", Name: "erin@example.com", Group: NoGroup, Version: 18},
			func() bool { return contact("erin@example.com").Lists == BlockList }},
		{"unblock", func() (*ListChange, error) { return ns.Unblock(ctx, "erin@example.com") },
			ListChange{Kind: ChangeRemove, List: BlockList, Email: "erin@example.com", Group: NoGroup, Version: 19},
			func() bool { return contact("erin@example.com") == nil }},
		{"add group", func() (*ListChange, error) { return ns.AddGroup(ctx, "Work & Co") },
			ListChange{Kind: ChangeAddGroup, Name: "Work & Co", Group: 2, Version: 20},
			func() bool { return cl.GroupByName("work & co").ID == 2 }},
		{"rename group", func() (*ListChange, error) { return ns.RenameGroup(ctx, 2, "Office") },
			ListChange{Kind: ChangeRenameGroup, Name: "Office", Group: 2, Version: 21},
			func() bool { return cl.Group(2).Name == "Office" }},
		{"remove group", func() (*ListChange, error) { return ns.RemoveGroup(ctx, 2) },
			ListChange{Kind: ChangeRemoveGroup, Group: 2, Version: 22},
			func() bool { return cl.Group(2) == nil }},
		{"own friendly name", func() (*ListChange, error) { return ns.SetFriendlyName(ctx, "Alice ★") },
			ListChange{Kind: ChangeName, Email: "alice@example.com", Name: "Alice ★", Group: NoGroup, Version: 23},
			func() bool { return cl.Version == 23 }},
		{"contact's name", func() (*ListChange, error) { return ns.RenameContact(ctx, "bob@example.com", "Bobby") },
			ListChange{Kind: ChangeName, Email: "bob@example.com", Name: "Bobby", Group: NoGroup, Version: 24},
			func() bool { return contact("bob@example.com").Name == "Bobby" }},
		{"home phone", func() (*ListChange, error) { return ns.SetPhone(ctx, PhoneHome, "555 123") },
			ListChange{Kind: ChangePhone, Key: PhoneHome, Value: "555 123", Group: NoGroup, Version: 25},
			func() bool { return cl.Phones[PhoneHome] == "555 123" }},
		{"mobile paging", func() (*ListChange, error) { return ns.SetPhone(ctx, MobilePaging, "Y") },
			ListChange{Kind: ChangePhone, Key: MobilePaging, Value: "Y", Group: NoGroup, Version: 26},
			func() bool { return cl.Phones[MobilePaging] == "Y" }},
		{"clear work phone", func() (*ListChange, error) { return ns.SetPhone(ctx, PhoneWork, "") },
			ListChange{Kind: ChangePhone, Key: PhoneWork, Group: NoGroup, Version: 27},
			func() bool { _, ok := cl.Phones[PhoneWork]; return !ok }},
		{"privacy", func() (*ListChange, error) { return ns.SetPrivacy(ctx, BlockUnlisted) },
			ListChange{Kind: ChangePrivacy, Value: "BL", Group: NoGroup, Version: 28},
			func() bool { return cl.Privacy == BlockUnlisted }},
		{"notify on add", func() (*ListChange, error) { return ns.SetNotifyOnAdd(ctx, false) },
			ListChange{Kind: ChangeNotifyOnAdd, Value: "N", Group: NoGroup, Version: 29},
			func() bool { return cl.NotifyOnAdd == "N" && cl.Version == 29 }},
	}
	for _, s := range steps {
		writes := cc.writes.Load()
		ch, err := s.do()
		if s.check == nil {
			if !errors.Is(err, ErrListState) {
				t.Fatalf("%s: err = %v, want ErrListState", s.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if !reflect.DeepEqual(*ch, s.want) {
			t.Errorf("%s: change = %+v\nwant %+v", s.name, *ch, s.want)
		}
		cl.Apply(ch)
		if !s.check() {
			t.Errorf("%s: not applied: %+v", s.name, cl)
		}
		if n := cc.writes.Load() - writes; n != 1 {
			t.Errorf("%s: %d network writes, want 1", s.name, n)
		}
	}
}

func TestListErrors(t *testing.T) {
	ns, _, _ := scriptedNS(t, MSNP8, msntest.TestdataScript(t, "list_errors.txt"))
	ctx := msntest.Context(t)
	for _, c := range []struct {
		do   func() (*ListChange, error)
		code int
		is   error
	}{
		{func() (*ListChange, error) { return ns.AddContact(ctx, ForwardList, "nobody@example.com", "", NoGroup) }, 207, ErrUnknownUser},
		{func() (*ListChange, error) { return ns.AddContact(ctx, ForwardList, "ghost@example.com", "", NoGroup) }, 205, ErrUnknownUser},
		{func() (*ListChange, error) { return ns.AddContact(ctx, ForwardList, "bad@handle", "", NoGroup) }, 208, ErrUnknownUser},
		{func() (*ListChange, error) { return ns.AddContact(ctx, ForwardList, "x@example.com", "", NoGroup) }, 201, ErrInvalidArgument},
		{func() (*ListChange, error) { return ns.AddContact(ctx, ForwardList, "bob@example.com", "", NoGroup) }, 215, ErrListState},
		{func() (*ListChange, error) { return ns.RemoveContact(ctx, ForwardList, "carol@example.com", NoGroup) }, 216, ErrListState},
		{func() (*ListChange, error) { return ns.AddContact(ctx, AllowList, "mallory@example.com", "", NoGroup) }, 219, ErrListState},
		{func() (*ListChange, error) { return ns.AddContact(ctx, ForwardList, "bob@example.com", "", 99) }, 224, ErrListState},
		{func() (*ListChange, error) { return ns.RemoveContact(ctx, ForwardList, "bob@example.com", 3) }, 225, ErrListState},
		{func() (*ListChange, error) { return ns.AddContact(ctx, ForwardList, "full@example.com", "", NoGroup) }, 210, ErrListFull},
		{func() (*ListChange, error) { return ns.AddGroup(ctx, "Eleventh") }, 223, ErrListFull},
		{func() (*ListChange, error) { return ns.AddGroup(ctx, "Taken") }, 228, ErrListState},
		{func() (*ListChange, error) { return ns.RemoveGroup(ctx, 0) }, 230, ErrListState},
		{func() (*ListChange, error) { return ns.RemoveGroup(ctx, 42) }, 224, ErrListState},
		{func() (*ListChange, error) { return ns.RenameGroup(ctx, 1, "Too long") }, 229, ErrInvalidArgument},
		{func() (*ListChange, error) { return ns.SetFriendlyName(ctx, "Rude") }, 209, ErrInvalidArgument},
		{func() (*ListChange, error) { return ns.SetFriendlyName(ctx, "Again") }, 800, ErrServerBusy},
		{func() (*ListChange, error) { return ns.SetPhone(ctx, PhoneHome, "1") }, 715, ErrInvalidArgument},
		{func() (*ListChange, error) { return ns.SetPrivacy(ctx, AllowUnlisted) }, 218, ErrListState},
		{func() (*ListChange, error) { return ns.SetNotifyOnAdd(ctx, true) }, 218, ErrListState},
		{func() (*ListChange, error) { return ns.Block(ctx, "bob@example.com") }, 215, ErrListState},
		{func() (*ListChange, error) { return ns.Block(ctx, "x@example.com") }, 201, ErrInvalidArgument},
	} {
		ch, err := c.do()
		var se *ServerError
		if ch != nil || !errors.As(err, &se) || se.Code != c.code || !errors.Is(err, c.is) {
			t.Errorf("want %d (%v), got %v, %v", c.code, c.is, ch, err)
		}
	}
}

// Requests the server must never see are refused before anything is
// written.
func TestListArgumentsRefused(t *testing.T) {
	ns, _, cc := scriptedNS(t, MSNP8, msntest.Inline(t, ""))
	ctx := msntest.Context(t)
	long := strings.Repeat("é", 200)
	for name, do := range map[string]func() (*ListChange, error){
		"add to RL":           func() (*ListChange, error) { return ns.AddContact(ctx, ReverseList, "a@b.com", "", NoGroup) },
		"remove from RL":      func() (*ListChange, error) { return ns.RemoveContact(ctx, ReverseList, "a@b.com", NoGroup) },
		"two lists":           func() (*ListChange, error) { return ns.AddContact(ctx, ForwardList|AllowList, "a@b.com", "", NoGroup) },
		"no list":             func() (*ListChange, error) { return ns.AddContact(ctx, 0, "a@b.com", "", NoGroup) },
		"group on AL":         func() (*ListChange, error) { return ns.AddContact(ctx, AllowList, "a@b.com", "", 1) },
		"negative group":      func() (*ListChange, error) { return ns.RemoveContact(ctx, ForwardList, "a@b.com", -5) },
		"space in handle":     func() (*ListChange, error) { return ns.AddContact(ctx, ForwardList, "a b@c.com", "", NoGroup) },
		"CRLF in handle":      func() (*ListChange, error) { return ns.Block(ctx, "a@b.com\r\nOUT") },
		"no @":                func() (*ListChange, error) { return ns.Allow(ctx, "alice") },
		"long name":           func() (*ListChange, error) { return ns.AddContact(ctx, ForwardList, "a@b.com", long, NoGroup) },
		"long own name":       func() (*ListChange, error) { return ns.SetFriendlyName(ctx, long) },
		"empty group name":    func() (*ListChange, error) { return ns.AddGroup(ctx, "") },
		"long group name":     func() (*ListChange, error) { return ns.RenameGroup(ctx, 1, strings.Repeat("g", 62)) },
		"bad group id":        func() (*ListChange, error) { return ns.RemoveGroup(ctx, -1) },
		"unknown phone":       func() (*ListChange, error) { return ns.SetPhone(ctx, "XYZ", "1") },
		"MBE is the server's": func() (*ListChange, error) { return ns.SetPhone(ctx, MobileEnabled, "Y") },
		"paging not Y/N":      func() (*ListChange, error) { return ns.SetPhone(ctx, MobilePaging, "yes") },
		"long phone":          func() (*ListChange, error) { return ns.SetPhone(ctx, PhoneWork, strings.Repeat("1 ", 40)) },
		"privacy":             func() (*ListChange, error) { return ns.SetPrivacy(ctx, "XX") },
	} {
		if ch, err := do(); ch != nil || !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: %v, %v", name, ch, err)
		}
	}
	for _, s := range []Status{"", "XYZ", StatusOffline} {
		if err := ns.SetStatus(ctx, s); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("status %q: %v", s, err)
		}
	}
	if n := cc.writes.Load(); n != 0 {
		t.Errorf("%d writes reached the server", n)
	}
}

func TestSetFriendlyNameNeedsHandle(t *testing.T) {
	ns, _, _ := scriptedNS(t, MSNP8, msntest.Inline(t, ""))
	ns.handle = ""
	if _, err := ns.SetFriendlyName(context.Background(), "x"); err == nil {
		t.Fatal("no error without a handle")
	}
}

func TestListReplyMalformed(t *testing.T) {
	ns, _, _ := scriptedNS(t, MSNP8, msntest.Inline(t, `
C: ADD $1 FL a@b.com a%40b.com
S: ADD $1 FL x a@b.com a%40b.com
C: ADD $2 FL a@b.com a%40b.com
S: ADD $2 ZZ 3 a@b.com a%40b.com
C: REM $3 FL a@b.com
S: REM $3 FL
C: ADG $4 G 0
S: ADG $4 5 G
C: BLP $5 AL
S: BLP $5
`))
	ctx := msntest.Context(t)
	for i, do := range []func() (*ListChange, error){
		func() (*ListChange, error) { return ns.AddContact(ctx, ForwardList, "a@b.com", "", NoGroup) },
		func() (*ListChange, error) { return ns.AddContact(ctx, ForwardList, "a@b.com", "", NoGroup) },
		func() (*ListChange, error) { return ns.RemoveContact(ctx, ForwardList, "a@b.com", NoGroup) },
		func() (*ListChange, error) { return ns.AddGroup(ctx, "G") },
		func() (*ListChange, error) { return ns.SetPrivacy(ctx, AllowUnlisted) },
	} {
		if _, err := do(); !errors.Is(err, ErrProtocol) {
			t.Errorf("%d: err = %v", i, err)
		}
	}
}
