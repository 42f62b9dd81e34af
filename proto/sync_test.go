package proto

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"msn/proto/msntest"
)

// syncedTranscript signs in with cfg and syncs the whole list, which in
// the recorded transcripts has version 1, GTC A and BLP AL.
func syncedTranscript(ctx context.Context, t *testing.T, cfg LoginConfig) (*Notification, *ContactList) {
	t.Helper()
	res, err := Login(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := res.NS.Sync(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cl.Version != 1 || cl.NotifyOnAdd != "A" || cl.Privacy != AllowUnlisted {
		t.Errorf("settings: version %d, GTC %q, BLP %q", cl.Version, cl.NotifyOnAdd, cl.Privacy)
	}
	return res.NS, cl
}

// goOnlineAndPing sets ns online and waits for the answer to a ping.
func goOnlineAndPing(ctx context.Context, t *testing.T, ns *Notification) {
	t.Helper()
	if err := ns.SetStatus(ctx, StatusOnline); err != nil {
		t.Fatal(err)
	}
	if err := ns.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestSyncTranscript01(t *testing.T) {
	fp := newFakePassport(t, "alicepass", "0fake1ticket2value3")
	d := msntest.NewDialer()
	d.Add(nsAddr, msntest.TestdataScript(t, "syn_transcript01.txt"))
	ctx := msntest.Context(t)
	ns, cl := syncedTranscript(ctx, t, LoginConfig{Server: nsAddr, Email: "alice@example.com", Password: msntest.Password("alicepass"),
		Passport: fp.client(), Options: Options{Dial: d.Dial}})
	if g := cl.Group(0); g == nil || g.Name != "Other Contacts" {
		t.Errorf("group 0 = %+v", g)
	}
	want := &Contact{Email: "bob@example.com", Name: "Bob", Lists: ForwardList | AllowList | ReverseList, Groups: []int{0}}
	if got := cl.Contact("BOB@example.com"); !reflect.DeepEqual(got, want) {
		t.Errorf("bob = %+v, want %+v", got, want)
	}
	goOnlineAndPing(ctx, t, ns)
	if err := ns.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	d.Check(t)
}

func TestSyncTranscript02(t *testing.T) {
	d := msntest.NewDialer()
	d.Add(nsAddr, msntest.TestdataScript(t, "syn_transcript02.txt"))
	ctx := msntest.Context(t)
	ns, cl := syncedTranscript(ctx, t, LoginConfig{Server: nsAddr, Email: "bob@example.com", Protocol: MSNP7,
		Password: msntest.Password("bobpass"), Options: Options{Dial: d.Dial}})
	want := &Contact{Email: "alice@example.com", Name: "Alice", Lists: ForwardList | AllowList | ReverseList, Groups: []int{0}}
	if got := cl.Contact("alice@example.com"); !reflect.DeepEqual(got, want) {
		t.Errorf("alice = %+v, want %+v", got, want)
	}
	if len(cl.Contacts()) != 1 || len(cl.Pending()) != 0 {
		t.Errorf("contacts %d, pending %d", len(cl.Contacts()), len(cl.Pending()))
	}
	goOnlineAndPing(ctx, t, ns)
	ns.Logout(ctx)
	d.Check(t)
}

func TestSyncMSNP8Stream(t *testing.T) {
	ns, log, _ := scriptedNS(t, MSNP8, msntest.TestdataScript(t, "syn_msnp8_full.txt"))
	ctx := msntest.Context(t)
	cl, err := ns.Sync(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ns.Ping(ctx); err != nil { // the late BPR has been dispatched
		t.Fatal(err)
	}
	if cl.Version != 255 || cl.Privacy != BlockUnlisted || cl.NotifyOnAdd != "A" {
		t.Errorf("settings: %d %q %q", cl.Version, cl.Privacy, cl.NotifyOnAdd)
	}
	if !reflect.DeepEqual(cl.Phones, map[string]string{PhoneHome: "123 (4567)", MobilePaging: "Y"}) {
		t.Errorf("own phones = %v", cl.Phones)
	}
	if gs := cl.Groups(); len(gs) != 2 || gs[1].Name != "Friends" || cl.GroupByName("friends") != gs[1] {
		t.Errorf("groups = %v", gs)
	}
	bob := cl.Contact("bob@hotmail.com")
	if bob == nil || !reflect.DeepEqual(bob.Phones, map[string]string{PhoneHome: "1 (222) 333 4444", MobilePaging: "N"}) {
		t.Errorf("bob = %+v", bob)
	}
	carol := cl.Contact("carol@hotmail.com")
	if carol == nil || carol.Lists != ForwardList|BlockList|ReverseList || !reflect.DeepEqual(carol.Groups, []int{0, 1}) {
		t.Errorf("carol = %+v", carol)
	}
	if p := cl.Pending(); len(p) != 1 || p[0].Email != "pending@hotmail.com" || p[0].Groups != nil {
		t.Errorf("pending = %v", p)
	}
	if fl := cl.On(ForwardList); len(fl) != 2 || fl[0] != bob || fl[1] != carol {
		t.Errorf("forward list = %v", fl)
	}
	// The BPR after the last LST arrives once Sync returned: it is an
	// event for Apply.
	chs := listChanges(log)
	if len(chs) != 1 || chs[0].Email != "carol@hotmail.com" || chs[0].Key != PhoneMobile || chs[0].Value != "555" {
		t.Fatalf("late BPR events = %+v", chs)
	}
	if !cl.Apply(chs[0]) || carol.Phones[PhoneMobile] != "555" || cl.Version != 255 {
		t.Errorf("late BPR not applied: %+v, version %d", carol, cl.Version)
	}
}

func TestSyncMSNP7Stream(t *testing.T) {
	ns, log, _ := scriptedNS(t, MSNP7, msntest.TestdataScript(t, "syn_msnp7_full.txt"))
	ctx := msntest.Context(t)
	cl, err := ns.Sync(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cl.Version != 255 || cl.Privacy != AllowUnlisted || cl.NotifyOnAdd != "A" {
		t.Errorf("settings: %d %q %q", cl.Version, cl.Privacy, cl.NotifyOnAdd)
	}
	// The PRP after the reverse list (as proto/server sends it) is kept.
	want := map[string]string{PhoneHome: "123 (4567)", PhoneWork: "2", MobilePaging: "N", MobileEnabled: "N"}
	if !reflect.DeepEqual(cl.Phones, want) {
		t.Errorf("own phones = %v", cl.Phones)
	}
	bob := cl.Contact("bob@hotmail.com")
	wantBob := &Contact{Email: "bob@hotmail.com", Name: "Bob", Lists: ForwardList | AllowList | ReverseList,
		Groups: []int{0}, Phones: map[string]string{PhoneHome: "1 (222) 333 4444", MobilePaging: "N"}}
	if !reflect.DeepEqual(bob, wantBob) {
		t.Errorf("bob = %+v", bob)
	}
	carol := cl.Contact("carol@hotmail.com")
	if carol == nil || carol.Lists != ForwardList|AllowList || !reflect.DeepEqual(carol.Groups, []int{0, 1}) {
		t.Errorf("carol = %+v", carol)
	}
	if len(cl.GroupMap) != 2 || len(log.all()) != 0 {
		t.Errorf("groups %v, events %v", cl.GroupMap, log.all())
	}
}

func TestSyncUpToDate(t *testing.T) {
	for _, p := range []Protocol{MSNP8, MSNP7} {
		t.Run(string(p), func(t *testing.T) {
			ns, log, _ := scriptedNS(t, p, msntest.TestdataScript(t, "syn_uptodate_"+strings.ToLower(string(p))+".txt"))
			ctx := msntest.Context(t)
			cached := NewContactList()
			cached.Version = 6
			cached.Apply(&ReverseListChange{Email: "x@example.com", Added: true})
			got, err := ns.Sync(ctx, cached)
			if err != nil {
				t.Fatal(err)
			}
			if got != cached {
				t.Fatalf("Sync returned a new list for an unchanged version")
			}
			if p == MSNP8 {
				if err := ns.Ping(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if evs := log.all(); len(evs) != 0 {
				t.Errorf("events = %v", evs)
			}
		})
	}
}

func TestSyncStaleVersion(t *testing.T) {
	// transcripts/06 Q17: the cached version is stale, the server sends
	// the whole list with a new version.
	ns, _, _ := scriptedNS(t, MSNP8, msntest.Inline(t, `
C: SYN $1 5
S: SYN $1 6 1 1
S: GTC A
S: BLP AL
S: LSG 0 Other%20Contacts 0
S: LST bob@example.com Bob 11 0
`))
	cached := NewContactList()
	cached.Version = 5
	cached.Apply(&ReverseListChange{Email: "gone@example.com", Added: true})
	cl, err := ns.Sync(msntest.Context(t), cached)
	if err != nil {
		t.Fatal(err)
	}
	if cl == cached || cl.Version != 6 || cl.Contact("gone@example.com") != nil || cl.Contact("bob@example.com") == nil {
		t.Fatalf("list = %+v", cl)
	}
	if cached.Version != 5 || cached.Contact("gone@example.com") == nil {
		t.Errorf("the cached list was changed")
	}
}

func TestSyncNameEncodings(t *testing.T) {
	ns, _, _ := scriptedNS(t, MSNP8, msntest.TestdataScript(t, "syn_encodings.txt"))
	ctx := msntest.Context(t)
	cl, err := ns.Sync(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ns.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	for email, want := range map[string]string{
		"space@example.com":     "Hello World",
		"percent@example.com":   "100% sure",
		"utf8@example.com":      "小明 😀",
		"plus@example.com":      "a+b+c",
		"control@example.com":   "bell\a\nline\x1b[31m",
		"broken@example.com":    "%ZZ%4",
		"mixedcase@example.com": "Upper",
	} {
		c := cl.Contact(email)
		if c == nil || c.Name != want {
			t.Errorf("%s: %+v, want name %q", email, c, want)
		}
	}
	if c := cl.Contact("mixedcase@example.com"); c == nil || c.Email != "MixedCase@Example.com" {
		t.Errorf("the handle's spelling was not kept: %+v", c)
	}
	if g := cl.Group(0); g == nil || g.Name != "Café & Friends" {
		t.Errorf("group = %+v", g)
	}
	if cl.NotifyOnAdd != "N" || cl.Version != 9 {
		t.Errorf("GTC %q, version %d", cl.NotifyOnAdd, cl.Version)
	}
}

// bigList renders the stream of a list of n contacts in dialect p, each
// on the forward and allow lists, every third on the reverse list too.
func bigList(p Protocol, n int) string {
	var b strings.Builder
	name := func(i int) string { return fmt.Sprintf("User%%20%d%%20%%E2%%98%%85", i) }
	email := func(i int) string { return fmt.Sprintf("user%05d@example.com", i) }
	rl := (n + 2) / 3
	if p == MSNP8 {
		fmt.Fprintf(&b, "C: SYN $1 0\nS: SYN $1 42 %d 2\nS: GTC A\nS: BLP AL\n", n)
		b.WriteString("S: LSG 0 Other%20Contacts 0\nS: LSG 1 Friends 0\n")
		for i := 0; i < n; i++ {
			bits := 3
			if i%3 == 0 {
				bits = 11
			}
			fmt.Fprintf(&b, "S: LST %s %s %d %d\n", email(i), name(i), bits, i%2)
		}
		return b.String()
	}
	b.WriteString("C: SYN $1 0\nC: PNG\nS: SYN $1 42\n")
	b.WriteString("S: LSG $1 42 1 2 0 Other%20Contacts 0\nS: LSG $1 42 2 2 1 Friends 0\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "S: LST $1 FL 42 %d %d %s %s %d\n", i+1, n, email(i), name(i), i%2)
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "S: LST $1 AL 42 %d %d %s %s\n", i+1, n, email(i), name(i))
	}
	b.WriteString("S: LST $1 BL 42 0 0\n")
	for j, i := 0, 0; i < n; i += 3 {
		j++
		fmt.Fprintf(&b, "S: LST $1 RL 42 %d %d %s %s\n", j, rl, email(i), name(i))
	}
	b.WriteString("S: GTC $1 42 A\nS: BLP $1 42 AL\nS: QNG\n")
	return b.String()
}

func TestSyncThousandContacts(t *testing.T) {
	for _, p := range []Protocol{MSNP8, MSNP7} {
		t.Run(string(p), func(t *testing.T) {
			ns, log, _ := scriptedNS(t, p, msntest.Inline(t, bigList(p, 1000)))
			cl, err := ns.Sync(msntest.Context(t), nil)
			if err != nil {
				t.Fatal(err)
			}
			all := cl.Contacts()
			if len(all) != 1000 || cl.Version != 42 || len(log.all()) != 0 {
				t.Fatalf("%d contacts, version %d, events %v", len(all), cl.Version, log.all())
			}
			for i, c := range all {
				lists := ForwardList | AllowList
				if i%3 == 0 {
					lists |= ReverseList
				}
				want := &Contact{Email: fmt.Sprintf("user%05d@example.com", i), Name: fmt.Sprintf("User %d ★", i),
					Lists: lists, Groups: []int{i % 2}}
				if !reflect.DeepEqual(c, want) {
					t.Fatalf("contact %d = %+v, want %+v", i, c, want)
				}
			}
		})
	}
}

func TestSyncServerError(t *testing.T) {
	ns, _, _ := scriptedNS(t, MSNP8, msntest.Inline(t, "C: SYN $1 0\nS: 500 $1\n"))
	_, err := ns.Sync(msntest.Context(t), nil)
	var se *ServerError
	if !errors.As(err, &se) || se.Code != 500 || !errors.Is(err, ErrServerBusy) {
		t.Fatalf("err = %v", err)
	}
}
