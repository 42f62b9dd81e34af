package switchboard

import (
	"context"
	"errors"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"msn/proto"
	"msn/proto/msntest"
)

func TestFileOfferAccepted(t *testing.T) {
	sb, rec, done := startSwitchboard(t, "file_offer.txt", true)
	ctx := msntest.Context(t)
	o, err := sb.OfferFile(ctx, "bob@example.com", "notes.txt", 5000)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := o.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Command != AcceptCommand || inv.From != "bob@example.com" || inv.Cookie != o.Cookie {
		t.Fatalf("reply = %+v, want bob's ACCEPT", inv)
	}
	if err := o.SendAddress(ctx, netip.MustParseAddr("192.0.2.10"), 6891, "1618033"); err != nil {
		t.Fatal(err)
	}
	_, err = o.Wait(ctx)
	var ce *CancelError
	if !errors.As(err, &ce) || ce.Code != CancelFTTimeout || !ce.Timeout() || errors.Is(err, ErrDeclined) || !errors.Is(err, ErrCancelled) {
		t.Fatalf("after the address: err = %v, want bob's CANCEL FTTIMEOUT", err)
	}
	o.Close()
	done()
	// The reply with another cookie and carol's reply are not answers;
	// they arrive as events.
	var strays []string
	for _, e := range ofType[*Invitation](rec) {
		strays = append(strays, e.From+" "+e.Cookie)
	}
	if want := []string{"bob@example.com 4242", "carol@example.com " + o.Cookie}; !reflect.DeepEqual(strays, want) {
		t.Errorf("stray invitation events = %v, want %v", strays, want)
	}
}

func TestFileOfferDeclined(t *testing.T) {
	sb, _, done := startSwitchboard(t, "file_decline.txt", true)
	ctx := msntest.Context(t)
	o, err := sb.OfferFile(ctx, "bob@example.com", "notes.txt", 5000)
	if err != nil {
		t.Fatal(err)
	}
	_, err = o.Wait(ctx)
	if !errors.Is(err, ErrDeclined) || !errors.Is(err, ErrCancelled) {
		t.Fatalf("err = %v, want a decline", err)
	}
	if got := err.Error(); got != "proto: bob@example.com declined the invitation (REJECT)" {
		t.Errorf("message = %q", got)
	}
	o.Close()
	done()
}

func TestFileOfferTimeoutUndeliveredAndLeft(t *testing.T) {
	sb, _, done := startSwitchboard(t, "file_timeout.txt", true)
	ctx := msntest.Context(t)
	o, err := sb.OfferFile(ctx, "bob@example.com", "notes.txt", 5000)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	_, err = o.Wait(short)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("unanswered offer: err = %v", err)
	}
	if err := o.Cancel(ctx, CancelTimeout); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Wait(ctx); !errors.Is(err, ErrCancelled) {
		t.Errorf("Wait after Cancel: err = %v", err)
	}
	// A local file name cannot add fields to the invitation.
	o2, err := sb.OfferFile(ctx, "bob@example.com", "x\r\nIP-Address: 6.6.6.6\r\nPort: 22", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o2.Wait(ctx); !errors.Is(err, ErrNotDelivered) {
		t.Errorf("NAKed offer: err = %v, want ErrNotDelivered", err)
	}
	o3, err := sb.OfferFile(ctx, "bob@example.com", "third", 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o3.Wait(ctx); !errors.Is(err, ErrPeerLeft) {
		t.Errorf("offer to someone who left: err = %v, want ErrPeerLeft", err)
	}
	if _, err := sb.OfferFile(ctx, "bob@example.com", "fourth", 1); !errors.Is(err, ErrPeerLeft) {
		t.Errorf("offer to someone not there: err = %v, want ErrPeerLeft", err)
	}
	done()
}

func TestFileReceive(t *testing.T) {
	for _, acct := range []account{bob, bob7} {
		t.Run(string(acct.Protocol), func(t *testing.T) {
			ns, sb, rec, d := answerSwitchboard(t, acct, "file_receive.txt")
			ctx := msntest.Context(t)
			offer := func(cookie string) *Invitation {
				t.Helper()
				return rec.waitFor(t, "offer "+cookie, func(e Event) bool {
					inv, ok := e.(*Invitation)
					return ok && inv.Cookie == cookie && inv.IsFileOffer()
				}).(*Invitation)
			}
			first := offer("31337")
			if err := first.CheckFileOffer(); err != nil || first.File != "hello.txt" || first.Size != 2900 {
				t.Fatalf("offer = %+v, %v", first, err)
			}
			src, err := sb.AcceptFile(ctx, first)
			if err != nil {
				t.Fatal(err)
			}
			want := &FileSource{Addrs: []string{"10.0.0.7:58203", "10.0.0.8:6892"}, AuthCookie: "99887766"}
			if !reflect.DeepEqual(src, want) {
				t.Errorf("source = %+v, want %+v", src, want)
			}
			if err := sb.CancelInvitation(ctx, offer("4242"), CancelReject); err != nil {
				t.Fatal(err)
			}
			_, err = sb.AcceptFile(ctx, offer("77"))
			var ce *CancelError
			if !errors.As(err, &ce) || ce.Code != CancelOutbandCancel || errors.Is(err, ErrDeclined) {
				t.Errorf("cancelled by the sender: err = %v", err)
			}
			if _, err := sb.AcceptFile(ctx, offer("78")); !errors.Is(err, ErrPeerLeft) {
				t.Errorf("sender left: err = %v, want ErrPeerLeft", err)
			}
			sb.Leave(ctx)
			ns.Logout(ctx)
			d.Check(t)
			n := 0
			for _, inv := range ofType[*Invitation](rec) {
				if inv.Cookie == "31337" {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%d events for the offer sent twice, want 1", n)
			}
		})
	}
}

// TestInviteMessageSizes checks the invitation bodies against the byte
// counts of the annotated example (reference §7.4).
func TestInviteMessageSizes(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    *proto.Message
		want int
	}{
		{"invite", inviteMessage(
			proto.Header{Name: "Application-Name", Value: "File Transfer"}, proto.Header{Name: "Application-GUID", Value: FileTransferGUID},
			proto.Header{Name: "Invitation-Command", Value: "INVITE"}, proto.Header{Name: "Invitation-Cookie", Value: "42"},
			proto.Header{Name: "Application-File", Value: "notes.txt"}, proto.Header{Name: "Application-FileSize", Value: "5000"}), 272},
		{"accept", inviteMessage(
			proto.Header{Name: "Invitation-Command", Value: "ACCEPT"}, proto.Header{Name: "Invitation-Cookie", Value: "42"},
			proto.Header{Name: "Launch-Application", Value: "FALSE"}, proto.Header{Name: "Request-Data", Value: "IP-Address:"}), 178},
		{"address", inviteMessage(
			proto.Header{Name: "Invitation-Command", Value: "ACCEPT"}, proto.Header{Name: "Invitation-Cookie", Value: "42"},
			proto.Header{Name: "IP-Address", Value: "192.0.2.10"}, proto.Header{Name: "Port", Value: "6891"}, proto.Header{Name: "AuthCookie", Value: "1618033"},
			proto.Header{Name: "Launch-Application", Value: "FALSE"}, proto.Header{Name: "Request-Data", Value: "IP-Address:"}), 235},
		{"decline", inviteMessage(
			proto.Header{Name: "Invitation-Command", Value: "CANCEL"}, proto.Header{Name: "Invitation-Cookie", Value: "42"},
			proto.Header{Name: "Cancel-Code", Value: "REJECT"}), 145},
		{"fttimeout", inviteMessage(
			proto.Header{Name: "Invitation-Command", Value: "CANCEL"}, proto.Header{Name: "Invitation-Cookie", Value: "42"},
			proto.Header{Name: "Cancel-Code", Value: "FTTIMEOUT"}), 148},
	} {
		if got := len(tc.m.Bytes()); got != tc.want {
			t.Errorf("%s: %d bytes, want %d", tc.name, got, tc.want)
		}
	}
}

// TestHostileInvitations covers hostile-inputs §2.6: bad cookies and
// sizes are refused before any answer, foreign applications are not file
// offers, and a sender's addresses are checked before anything is dialled.
func TestHostileInvitations(t *testing.T) {
	offer := func(fields string) *Invitation {
		return parseInvitation([]byte("Application-Name: File Transfer\r\nApplication-GUID: " + FileTransferGUID +
			"\r\nInvitation-Command: INVITE\r\nApplication-File: a.txt\r\n" + fields + "\r\n"))
	}
	for _, cookie := range []string{"54902160%20%20%20", "abc", "-1", "123456789012345678901234567890", "", "4294967296"} {
		inv := offer("Invitation-Cookie: " + cookie + "\r\nApplication-FileSize: 10")
		if err := inv.CheckFileOffer(); !errors.Is(err, ErrBadInvitation) {
			t.Errorf("cookie %q: CheckFileOffer = %v", cookie, err)
		}
		if err := (&Switchboard{}).CancelInvitation(context.Background(), inv, CancelReject); !errors.Is(err, ErrBadInvitation) {
			t.Errorf("cookie %q: a CANCEL would be sent (%v)", cookie, err)
		}
	}
	for _, size := range []string{"-1", "", "abc", "1e9", "0x10", "99999999999999999999", "+5", " 5 5"} {
		if err := offer("Invitation-Cookie: 7\r\nApplication-FileSize: " + size).CheckFileOffer(); !errors.Is(err, ErrBadInvitation) {
			t.Errorf("size %q: CheckFileOffer = %v", size, err)
		}
	}
	if err := offer("Invitation-Cookie: 7\r\nApplication-FileSize: 0").CheckFileOffer(); err != nil {
		t.Errorf("size 0: %v", err)
	}
	for _, body := range []string{
		"Application-GUID: {56b994a7-380f-410b-9985-c809d78c1bdc}\r\nApplication-Name: File Transfer\r\nInvitation-Command: INVITE\r\n",
		"Application-Name: NetMeeting\r\nInvitation-Command: INVITE\r\nLaunch-Application: TRUE\r\nSession-Protocol: SM1\r\n",
		"Application-Name: File Transfer\r\nApplication-GUID: " + FileTransferGUID + "\r\nInvitation-Command: ACCEPT\r\n",
	} {
		if parseInvitation([]byte(body)).IsFileOffer() {
			t.Errorf("%q counts as a file offer", body)
		}
	}
	if !parseInvitation([]byte("Application-Name: File Transfer\r\nInvitation-Command: INVITE\r\n")).IsFileOffer() {
		t.Error("a file offer without a GUID is not recognised by its name")
	}

	public := &Switchboard{policy: proto.ReferralPolicy{}}
	private := &Switchboard{policy: proto.ReferralPolicy{AllowPrivate: true}}
	for _, tc := range []struct {
		sb     *Switchboard
		fields string
		want   []string // nil: refused
	}{
		{public, "IP-Address: 192.0.2.10\r\nPort: 6891\r\nAuthCookie: 1", []string{"192.0.2.10:6891"}},
		{public, "IP-Address: 127.0.0.1\r\nPort: 6891\r\nAuthCookie: 1", nil},
		{private, "IP-Address: 127.0.0.1\r\nPort: 6891\r\nAuthCookie: 1", []string{"127.0.0.1:6891"}},
		{private, "IP-Address: 0.0.0.0\r\nPort: 6891\r\nAuthCookie: 1", nil},
		{public, "IP-Address: evil.example.com\r\nPort: 6891\r\nAuthCookie: 1", nil},
		{public, "IP-Address: 192.0.2.10\r\nPort: 0\r\nAuthCookie: 1", nil},
		{public, "IP-Address: 192.0.2.10\r\nPort: 65536\r\nAuthCookie: 1", nil},
		{public, "IP-Address: 192.0.2.10\r\nPort: 6891", nil},
		{public, "IP-Address: 192.0.2.10\r\nPort: 6891\r\nAuthCookie: -5", nil},
		{public, "IP-Address: 192.0.2.10\r\nPort: 6891\r\nAuthCookie: x1", nil},
		{public, "IP-Address: 192.0.2.10\r\nPort: 6891\r\nAuthCookie: " + string(make([]byte, 10000)), nil},
		{public, "Port: 6891\r\nAuthCookie: 1\r\nIP-Address-Internal: 192.0.2.11\r\nPortX: 1", nil},
		{public, "IP-Address: 192.0.2.10\r\nPort: 6891\r\nAuthCookie: 1\r\nIP-Address-Internal: 10.1.1.1\r\nPortX: 6892", []string{"192.0.2.10:6891"}},
		{private, "IP-Address: 192.0.2.10\r\nPort: 6891\r\nAuthCookie: 1\r\nIP-Address-Internal: 10.1.1.1\r\nPortX: 6892", []string{"192.0.2.10:6891", "10.1.1.1:6892"}},
		{private, "IP-Address: ::ffff:10.1.1.1\r\nPort: 6891\r\nAuthCookie: 1\r\nIP-Address-Internal: 10.1.1.1\r\nPortX: 6891", []string{"10.1.1.1:6891"}},
		{private, "IP-Address: fe80::1%eth0\r\nPort: 6891\r\nAuthCookie: 1", nil},
	} {
		src, err := tc.sb.fileSource(parseInvitation([]byte("Invitation-Command: ACCEPT\r\nInvitation-Cookie: 7\r\n" + tc.fields + "\r\n")))
		switch {
		case tc.want == nil && !errors.Is(err, ErrBadInvitation):
			t.Errorf("%q: source %+v, err %v; want ErrBadInvitation", tc.fields, src, err)
		case tc.want != nil && (err != nil || !reflect.DeepEqual(src.Addrs, tc.want)):
			t.Errorf("%q: source %+v, err %v; want %v", tc.fields, src, err, tc.want)
		}
	}
}
