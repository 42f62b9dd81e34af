package switchboard

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"msn/proto"
	"msn/proto/internal/engine"
)

// maxInviteFields bounds the fields kept from one invitation body.
const maxInviteFields = 64

// Field returns the value of the named field, compared without regard
// to case, or "".
func (inv *Invitation) Field(name string) string {
	for k, v := range inv.Fields {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// parseInvitation reads the "Key: value" lines of an invitation body,
// which end at the first empty line after a field. Each line is split at
// its first colon, so "Request-Data: IP-Address:" keeps its value; lines
// without a colon are skipped.
func parseInvitation(body []byte) *Invitation {
	inv := &Invitation{Size: -1, Fields: map[string]string{}}
	seen := map[string]bool{}
	for rest := body; len(rest) > 0 && len(inv.Fields) < maxInviteFields; {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			if len(inv.Fields) > 0 {
				break
			}
			continue
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		key := string(bytes.TrimSpace(k))
		if !ok || key == "" || seen[strings.ToLower(key)] {
			continue
		}
		seen[strings.ToLower(key)] = true
		inv.Fields[key] = string(bytes.TrimSpace(v))
	}
	inv.Command = inv.Field("Invitation-Command")
	inv.Cookie = inv.Field("Invitation-Cookie")
	inv.AppName = inv.Field("Application-Name")
	inv.AppGUID = inv.Field("Application-GUID")
	inv.File = inv.Field("Application-File")
	if s := inv.Field("Application-FileSize"); engine.IsDigits(s) && len(s) <= 19 {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			inv.Size = n
		}
	}
	return inv
}

// FileTransferGUID is the Application-GUID of an MSNFTP file transfer
// invitation.
const FileTransferGUID = "{5D3E02AB-6190-11d3-BBBB-00C04F795683}"

// fileTransferName is the English Application-Name of a file transfer,
// recognised when an invitation has no GUID.
const fileTransferName = "File Transfer"

// Invitation-Command values.
const (
	InviteCommand = "INVITE"
	AcceptCommand = "ACCEPT"
	CancelCommand = "CANCEL"
)

// maxCookieDigits bounds an Invitation-Cookie or AuthCookie: a decimal
// number of at most ten digits (a 32-bit value).
const maxCookieDigits = 10

// IsFileOffer reports whether inv offers a file: an INVITE with the file
// transfer GUID, compared without regard to case, or with the English
// application name when it carries no GUID.
func (inv *Invitation) IsFileOffer() bool {
	if inv.Command != InviteCommand {
		return false
	}
	if inv.AppGUID != "" {
		return strings.EqualFold(inv.AppGUID, FileTransferGUID)
	}
	return inv.AppName == fileTransferName
}

// CheckFileOffer validates a file offer's fields before it is answered:
// a cookie of one to ten digits and a size given as a plain decimal
// number. It returns an error matching ErrBadInvitation that says what
// is wrong.
func (inv *Invitation) CheckFileOffer() error {
	switch {
	case !inv.IsFileOffer():
		return fmt.Errorf("%w: not a file offer", ErrBadInvitation)
	case !validCookie(inv.Cookie):
		return fmt.Errorf("%w: invitation cookie %q", ErrBadInvitation, engine.EscapeForError(inv.Cookie))
	case inv.Size < 0:
		return fmt.Errorf("%w: file size %q", ErrBadInvitation, engine.EscapeForError(inv.Field("Application-FileSize")))
	}
	return nil
}

// validCookie reports whether s is a decimal number of one to ten digits
// that fits in 32 bits.
func validCookie(s string) bool {
	if !engine.IsDigits(s) || len(s) > maxCookieDigits {
		return false
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return err == nil && n <= math.MaxUint32
}

// inviteKey is the waiter key of the next reply from peer to the
// invitation with cookie: only that peer's reply counts.
func inviteKey(peer, cookie string) string {
	return "INV:" + strings.ToLower(peer) + " " + cookie
}

// inviteMessage builds a text/x-msmsgsinvite message whose body holds
// the fields in order, each on a line of its own, and ends with an empty
// line. Values must not hold line breaks (see announcedName).
func inviteMessage(fields ...proto.Header) *proto.Message {
	var b bytes.Buffer
	for _, f := range fields {
		b.WriteString(f.Name)
		b.WriteString(": ")
		b.WriteString(f.Value)
		b.WriteString("\r\n")
	}
	b.WriteString("\r\n")
	return &proto.Message{
		Headers: []proto.Header{{Name: "MIME-Version", Value: "1.0"}, {Name: "Content-Type", Value: "text/x-msmsgsinvite; charset=UTF-8"}},
		Body:    b.Bytes(),
	}
}

// announcedName is a local file name as an invitation may carry it:
// valid UTF-8 with every control character (CR and LF among them)
// replaced by '_', so that a name cannot add a field to the invitation.
func announcedName(name string) string {
	name = strings.ToValidUTF8(name, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			return '_'
		}
		return r
	}, name)
}
