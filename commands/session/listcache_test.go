package session

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"msn/proto"
)

// The compact cache gives back the list it was made from, names with
// tabs, percent signs, commas, equals signs and other scripts included;
// a list cached as JSON by older versions still reads.
func TestListCacheRoundTrip(t *testing.T) {
	cl := proto.NewContactList()
	cl.Version, cl.Privacy, cl.NotifyOnAdd = 9, proto.BlockUnlisted, "N"
	cl.Phones = map[string]string{proto.PhoneHome: "555 0100"}
	cl.GroupMap[0] = &proto.Group{ID: 0, Name: "Other Contacts"}
	cl.GroupMap[3] = &proto.Group{ID: 3, Name: "Work, mostly"}
	cl.ContactMap["bob@example.com"] = &proto.Contact{Email: "Bob@Example.com", Name: "Bob\t100%=, 李", Lists: proto.ForwardList | proto.AllowList,
		Groups: []int{0, 3}, Phones: map[string]string{proto.PhoneMobile: "555=01%00", proto.PhoneWork: "1,2"}}
	cl.ContactMap["zed@example.com"] = &proto.Contact{Email: "zed@example.com", Lists: proto.ReverseList}
	data, err := encodeListCache(cl)
	if err != nil {
		t.Fatal(err)
	}
	got, older, err := decodeListCache(data)
	if err != nil || older || !reflect.DeepEqual(got, cl) {
		t.Fatalf("got %+v %v\nfrom %s", got, err, data)
	}
	old, err := json.Marshal(cl)
	if err != nil {
		t.Fatal(err)
	}
	if got, older, err := decodeListCache(old); err != nil || !older || !reflect.DeepEqual(got, cl) {
		t.Fatalf("older form: %+v %v", got, err)
	}
	var c listCache
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	c.Format, c.Contacts = listJSONFormat, mustJSON(t, strings.Split(strings.TrimSuffix(c.Lines, "\n"), "\n"))
	c.Lines = ""
	jsonForm, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if got, older, err := decodeListCache(jsonForm); err != nil || !older || !reflect.DeepEqual(got, cl) {
		t.Fatalf("the form with contact lines in JSON: %+v %v", got, err)
	}
	for _, bad := range []string{
		`{"format":3,"version":1,"lines":"a@b.c\n"}`,
		`{"format":3,"version":1,"lines":"a@b.c\tA\tx\t\n"}`,
		`{"format":3,"version":1,"contacts":["a@b.c\tA\t1\t"]}`,
		`{"format":2,"version":1,"lines":"a@b.c\tA\t1\t\n"}`,
		`{"format":4,"version":1}`,
		`{"format":2,"version":1,"contacts":["a@b.c"]}`,
		`{"format":2,"version":1,"contacts":["a@b.c\tA\tx\t"]}`,
		`{"format":2,"version":1,"contacts":["a@b.c\tA\t3\tx"]}`,
		`{"format":2,"version":1,"contacts":["a@b.c\tA\t3\t0\tPHH"]}`,
		`{"format":2,"version":1,"groups":{"1":null}}`,
		`{"format":2,"version":1,"contacts":[` + strings.Repeat(`"a@b.c\tA\t1\t",`, proto.MaxContacts) + `"a@b.c\tA\t1\t"]}`,
	} {
		if got, _, err := decodeListCache([]byte(bad)); err == nil {
			t.Errorf("%.60s: read as %+v", bad, got)
		}
	}
}

// mustJSON returns v as JSON.
func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
