package proto

import (
	"bytes"
	"strconv"
	"strings"
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
	if s := inv.Field("Application-FileSize"); isDigits(s) && len(s) <= 19 {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			inv.Size = n
		}
	}
	return inv
}
