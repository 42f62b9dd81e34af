package proto

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"msn/proto/internal/engine"
)

func TestListNames(t *testing.T) {
	for _, c := range []struct {
		in   string
		want List
	}{{"forward", ForwardList}, {"FL", ForwardList}, {"allow", AllowList}, {"bl", BlockList}, {"Reverse", ReverseList}} {
		if got, ok := ParseList(c.in); !ok || got != c.want {
			t.Errorf("ParseList(%q) = %v, %v", c.in, got, ok)
		}
	}
	if _, ok := ParseList("XL"); ok {
		t.Error("ParseList accepted XL")
	}
	if s := (ForwardList | AllowList | ReverseList).String(); s != "FL,AL,RL" {
		t.Errorf("String = %q", s)
	}
	if ForwardList.Name() != "forward" || !(ForwardList | BlockList).Has(BlockList) || ForwardList.Has(0) {
		t.Error("Name or Has wrong")
	}
}

func TestApplyReverseList(t *testing.T) {
	cl := NewContactList()
	if !cl.Apply(&ReverseListChange{Email: "Zed@Example.com", Name: "Zed", Added: true, Version: 4}) {
		t.Fatal("RL add not applied")
	}
	if p := cl.Pending(); len(p) != 1 || p[0].Email != "Zed@Example.com" || cl.Version != 4 {
		t.Fatalf("pending = %v, version %d", p, cl.Version)
	}
	cl.Apply(&ListChange{Kind: ChangeAdd, List: AllowList, Email: "zed@example.com", Version: 5})
	if len(cl.Pending()) != 0 || cl.Contact("ZED@example.com").Lists != AllowList|ReverseList {
		t.Fatalf("after allow: %+v", cl.Contact("zed@example.com"))
	}
	cl.Apply(&ReverseListChange{Email: "zed@example.com", Version: 6})
	cl.Apply(&ListChange{Kind: ChangeRemove, List: AllowList, Email: "zed@example.com", Group: NoGroup, Version: 7})
	if cl.Contact("zed@example.com") != nil || cl.Version != 7 {
		t.Fatalf("contact on no list kept: %+v", cl)
	}
	if cl.Apply(&Offline{Email: "x@y.z"}) || cl.Apply(&ListChange{Kind: "bogus"}) {
		t.Error("unrelated events applied")
	}
}

func TestApplyGroups(t *testing.T) {
	cl := NewContactList()
	cl.Apply(&ListChange{Kind: ChangeAddGroup, Group: 1, Name: "Friends", Version: 1})
	cl.Apply(&ListChange{Kind: ChangeAdd, List: ForwardList, Email: "a@b.com", Name: "A", Group: 0, Version: 2})
	cl.Apply(&ListChange{Kind: ChangeAdd, List: ForwardList, Email: "a@b.com", Name: "A", Group: 1, Version: 3})
	cl.Apply(&ListChange{Kind: ChangeAdd, List: ForwardList, Email: "a@b.com", Name: "A", Group: 1, Version: 4})
	if g := cl.Contact("a@b.com").Groups; !reflect.DeepEqual(g, []int{0, 1}) {
		t.Fatalf("groups = %v", g)
	}
	cl.Apply(&ListChange{Kind: ChangeRemoveGroup, Group: 1, Version: 5})
	if g := cl.Contact("a@b.com").Groups; !reflect.DeepEqual(g, []int{0}) || cl.Group(1) != nil {
		t.Fatalf("after removing group 1: %v", g)
	}
	cl.Apply(&ListChange{Kind: ChangeRemove, List: ForwardList, Email: "a@b.com", Group: NoGroup, Version: 6})
	if cl.Contact("a@b.com") != nil {
		t.Fatal("contact removed from FL kept")
	}
}

func TestContactListJSON(t *testing.T) {
	cl := NewContactList()
	cl.Version, cl.Privacy, cl.NotifyOnAdd = 12, BlockUnlisted, "A"
	cl.Apply(&ListChange{Kind: ChangeAddGroup, Group: 0, Name: "Other Contacts"})
	cl.Apply(&ListChange{Kind: ChangeAdd, List: ForwardList, Email: "Bob@example.com", Name: "Bob ★", Group: 0})
	cl.Apply(&ListChange{Kind: ChangePhone, Email: "bob@example.com", Key: PhoneHome, Value: "1 2"})
	cl.Apply(&ListChange{Kind: ChangePhone, Key: PhoneWork, Value: "3"})
	cl.Version = 12
	b, err := json.Marshal(cl)
	if err != nil {
		t.Fatal(err)
	}
	var back ContactList
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, cl) {
		t.Fatalf("round trip:\n%s\n%+v", b, back)
	}
	var empty ContactList
	if err := json.Unmarshal([]byte(`{"version":3}`), &empty); err != nil {
		t.Fatal(err)
	}
	if !empty.Apply(&ReverseListChange{Email: "x@y.com", Added: true}) || empty.Contact("x@y.com") == nil {
		t.Error("a list without maps cannot take changes")
	}
}

func TestLimitName(t *testing.T) {
	s := strings.Repeat("a", MaxNameBytes-1) + "€"
	got := limitName(s)
	if len(got) != MaxNameBytes-1 || !utf8.ValidString(got) {
		t.Errorf("cut to %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
	if limitName("short") != "short" {
		t.Error("short name changed")
	}
	bad := strings.Repeat("\x80", 2*MaxNameBytes)
	if got := limitName(bad); len(got) > MaxNameBytes || len(got) < MaxNameBytes-3 {
		t.Errorf("invalid UTF-8 cut to %d bytes", len(got))
	}
}

func TestEncodeName(t *testing.T) {
	for in, want := range map[string]string{
		"Hello World": "Hello%20World",
		"100%":        "100%25",
		"a+b":         "a%2Bb",
		"x@y.com":     "x%40y.com",
		"Café ★":      "Caf%C3%A9%20%E2%98%85",
		"tab\tcr\r\n": "tab%09cr%0D%0A",
		"A-Z_a.z~0":   "A-Z_a.z~0",
	} {
		got := encodeName(in)
		if got != want {
			t.Errorf("encodeName(%q) = %q, want %q", in, got, want)
		}
		if !engine.ValidArg(got) {
			t.Errorf("encodeName(%q) cannot be sent as one field", in)
		}
		if decodeName(got) != in {
			t.Errorf("decodeName(%q) = %q", got, decodeName(got))
		}
	}
}
