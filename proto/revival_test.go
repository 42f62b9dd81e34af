package proto

import (
	"errors"
	"reflect"
	"testing"

	"msn/proto/msntest"
)

// TestRevivalListReplies replays what the revival server sends to list
// and profile requests (transcripts/08).
func TestRevivalListReplies(t *testing.T) {
	ns, _, _ := scriptedNS(t, MSNP8, msntest.TestdataScript(t, "revival_lists8.txt"))
	ctx := msntest.Context(t)
	cl := NewContactList()
	cl.Version = 181
	cl.Phones = map[string]string{PhoneMobile: "555 0102"}

	check := func(what string, ch *ListChange, err error, want ListChange) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if !reflect.DeepEqual(*ch, want) {
			t.Fatalf("%s: change = %+v\nwant %+v", what, *ch, want)
		}
		cl.Apply(ch)
	}

	// q2: the 205 of the removal half is "not on the allow list".
	ch, err := ns.Block(ctx, "dave@example.com")
	check("block", ch, err, ListChange{Kind: ChangeAdd, List: BlockList, Email: "dave@example.com",
		Name: "dave@example.com", Group: NoGroup, Version: 182})
	if c := cl.Contact("dave@example.com"); c == nil || c.Lists != BlockList {
		t.Fatalf("dave after block: %+v", c)
	}

	// q4: silent success; the caller decides from the synced list.
	ch, err = ns.Unblock(ctx, "bob@example.com")
	check("unblock", ch, err, ListChange{Kind: ChangeRemove, List: BlockList, Email: "bob@example.com",
		Group: NoGroup, Version: 184})

	// q5: 205 to a removal means "not on the list".
	_, err = ns.RemoveContact(ctx, ForwardList, "erin@example.com", NoGroup)
	if !NotOnList(err) {
		t.Fatalf("remove: err = %v, want NotOnList", err)
	}
	if NotOnList(&ServerError{Code: 207}) || NotOnList(nil) || !NotOnList(&ServerError{Code: 216}) {
		t.Fatal("NotOnList matches more or less than 205 and 216")
	}

	// q6: no version in the PRP reply: the change applies, the list
	// keeps its version.
	ch, err = ns.SetPhone(ctx, PhoneHome, "555 0100")
	check("phone", ch, err, ListChange{Kind: ChangePhone, Key: PhoneHome, Value: "555 0100", Group: NoGroup})
	if cl.Phones[PhoneHome] != "555 0100" || cl.Version != 182 {
		t.Fatalf("after PRP: phones %v, version %d", cl.Phones, cl.Version)
	}

	// q8: "%%20" is a literal % and then a space.
	ch, err = ns.SetFriendlyName(ctx, "100% sure & 50A ok")
	check("name", ch, err, ListChange{Kind: ChangeName, Email: "alice@example.com", Name: "100% sure & 50A ok",
		Group: NoGroup, Version: 188})

	// MSN's form, with a version; and clearing a number.
	ch, err = ns.SetPhone(ctx, PhoneWork, "555 0199")
	check("versioned phone", ch, err, ListChange{Kind: ChangePhone, Key: PhoneWork, Value: "555 0199", Group: NoGroup, Version: 189})
	ch, err = ns.SetPhone(ctx, PhoneMobile, "")
	check("clear phone", ch, err, ListChange{Kind: ChangePhone, Key: PhoneMobile, Group: NoGroup})
	if _, ok := cl.Phones[PhoneMobile]; ok || cl.Version != 189 {
		t.Fatalf("after clearing: phones %v, version %d", cl.Phones, cl.Version)
	}
}

func TestRevivalPRPMSNP7(t *testing.T) {
	ns, _, _ := scriptedNS(t, MSNP7, msntest.TestdataScript(t, "revival_lists7.txt"))
	ch, err := ns.SetPhone(msntest.Context(t), PhoneWork, "555 0199")
	if err != nil {
		t.Fatal(err)
	}
	want := ListChange{Kind: ChangePhone, Key: PhoneWork, Value: "555 0199", Group: NoGroup}
	if !reflect.DeepEqual(*ch, want) {
		t.Fatalf("change = %+v, want %+v", *ch, want)
	}
}

func TestPRPReplyMalformed(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"12"},
		{"x1", "PHH"},
		{"12", "PHW", "555"},
		{"PHW", "555"},
	} {
		_, err := parsePRPReply(&Command{Verb: "PRP", Args: args}, PhoneHome)
		if !errors.Is(err, ErrProtocol) {
			t.Errorf("PRP %q: err = %v, want a protocol error", args, err)
		}
	}
}
