package proto

import (
	"crypto/x509"
	"errors"
	"testing"

	"msn/proto/msntest"
	"msn/proto/passport"
	"msn/proto/server"
)

// localWorld is proto/server with the demo accounts.
type localWorld struct {
	srv   *server.Server
	roots *x509.CertPool
}

func newLocalWorld(t *testing.T) *localWorld {
	t.Helper()
	srv, err := server.New(server.Config{Accounts: server.DemoAccounts(), Policy: server.Reusable})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(srv.CACertPEM())
	return &localWorld{srv: srv, roots: roots}
}

// login signs email in with protocol p; events go to log.
func (w *localWorld) login(t *testing.T, email, pw string, p Protocol, log *eventLog) *Notification {
	t.Helper()
	pp := passport.New(w.srv.NexusURL(), w.roots)
	t.Cleanup(pp.CloseIdle)
	res, err := Login(msntest.Context(t), LoginConfig{Server: w.srv.NSAddr(), Email: email, Protocol: p,
		Password: msntest.Password(pw), Passport: pp, Options: Options{Handler: log.handle}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.NS.Close() })
	return res.NS
}

func TestListsAgainstLocalServer(t *testing.T) {
	for _, p := range []Protocol{MSNP8, MSNP7} {
		t.Run(string(p), func(t *testing.T) {
			w := newLocalWorld(t)
			ctx := msntest.Context(t)
			var log eventLog
			ns := w.login(t, "alice@example.com", "alicepass", p, &log)
			cl, err := ns.Sync(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			bob := cl.Contact("bob@example.com")
			if bob == nil || !bob.Lists.Has(ForwardList) || cl.Privacy == "" || cl.NotifyOnAdd == "" {
				t.Fatalf("first sync: %+v, bob %+v", cl, bob)
			}
			apply := func(ch *ListChange, err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
				if !cl.Apply(ch) {
					t.Fatalf("%+v not applied", ch)
				}
			}
			apply(ns.AddGroup(ctx, "Work & Play"))
			g := cl.GroupByName("Work & Play")
			apply(ns.AddContact(ctx, ForwardList, "carol@example.com", "Carol ★", g.ID))
			apply(ns.Block(ctx, "carol@example.com"))
			apply(ns.SetPhone(ctx, PhoneHome, "555 0100"))
			apply(ns.SetPrivacy(ctx, otherPrivacy(cl.Privacy)))
			apply(ns.SetFriendlyName(ctx, "Alice in Wonderland"))
			if _, err := ns.AddContact(ctx, ForwardList, "carol@example.com", "", NoGroup); !errors.Is(err, ErrListState) {
				t.Errorf("adding twice: %v", err)
			}
			if _, err := ns.AddContact(ctx, ForwardList, "nobody@example.com", "", NoGroup); !errors.Is(err, ErrUnknownUser) {
				t.Errorf("adding an unknown account: %v", err)
			}

			// A fresh sync from version 0 must give what the changes built.
			fresh, err := ns.Sync(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := ns.Ping(ctx); err != nil {
				t.Fatal(err)
			}
			for _, ev := range log.all() {
				fresh.Apply(ev) // late BPRs and settings after the stream
			}
			if fresh.Version != cl.Version {
				t.Errorf("versions: fresh %d, applied %d", fresh.Version, cl.Version)
			}
			carol := fresh.Contact("carol@example.com")
			if carol == nil || carol.Lists&(ForwardList|BlockList|AllowList) != ForwardList|BlockList ||
				carol.Name != "Carol ★" || !carol.InGroup(g.ID) {
				t.Errorf("carol after a fresh sync: %+v", carol)
			}
			if fresh.Group(g.ID) == nil || fresh.Group(g.ID).Name != "Work & Play" || fresh.Privacy != cl.Privacy {
				t.Errorf("groups %v, privacy %q", fresh.GroupMap, fresh.Privacy)
			}
			if fresh.Phones[PhoneHome] != "555 0100" {
				t.Errorf("own phones after a fresh sync: %v", fresh.Phones)
			}

			// The cached list, at its version, costs one short reply.
			same, err := ns.Sync(ctx, cl)
			if err != nil || same != cl {
				t.Fatalf("cached sync: %v", err)
			}
		})
	}
}

func otherPrivacy(p Privacy) Privacy {
	if p == BlockUnlisted {
		return AllowUnlisted
	}
	return BlockUnlisted
}

// Bob sees Alice's presence when she appears, and an RL push when she
// adds him again after removing him.
func TestPresenceAgainstLocalServer(t *testing.T) {
	w := newLocalWorld(t)
	ctx := msntest.Context(t)
	var bobLog, aliceLog eventLog
	bob := w.login(t, "bob@example.com", "bobpass", MSNP7, &bobLog)
	if _, err := bob.Sync(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := bob.SetStatusAndSettle(ctx, StatusHidden); err != nil {
		t.Fatal(err)
	}
	alice := w.login(t, "alice@example.com", "alicepass", MSNP8, &aliceLog)
	if _, err := alice.Sync(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := alice.SetStatusAndSettle(ctx, StatusAway); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.RemoveContact(ctx, ForwardList, "bob@example.com", NoGroup); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.AddContact(ctx, ForwardList, "bob@example.com", "", NoGroup); err != nil {
		t.Fatal(err)
	}
	if err := bob.Ping(ctx); err != nil { // bob's reader has seen everything before
		t.Fatal(err)
	}
	var sawAway, sawRemoved, sawAdded bool
	for _, ev := range bobLog.all() {
		switch ev := ev.(type) {
		case *Presence:
			sawAway = sawAway || (ev.Email == "alice@example.com" && ev.Status == StatusAway)
		case *ReverseListChange:
			sawRemoved = sawRemoved || (!ev.Added && ev.Email == "alice@example.com")
			sawAdded = sawAdded || (ev.Added && ev.Email == "alice@example.com")
		}
	}
	if !sawAway || !sawRemoved || !sawAdded {
		t.Errorf("bob saw away %v, removed %v, added %v: %v", sawAway, sawRemoved, sawAdded, bobLog.all())
	}
}
