package session

import (
	"encoding/json"
	"errors"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"msn/proto"
)

// listCacheFormat marks the form of a cached contact list that this
// version writes; listJSONFormat, the one before it.
const (
	listCacheFormat = 3
	listJSONFormat  = 2
)

// listCache is how a contact list is cached, as JSON: what is not a
// contact, and Lines, one string of a line per contact of tab-separated
// fields (address, name, list bits, groups, then phones as KEY=VALUE),
// each field escaped, so that no field holds a tab or a line break.
// Reading thousands of contacts is then decoding one JSON string and
// splitting it, its parts becoming the contacts' fields without a copy
// each. In listJSONFormat the lines were Contacts, a JSON string each; a
// cache without Format is a proto.ContactList as JSON, as older versions
// wrote it.
type listCache struct {
	Format      int                  `json:"format"`
	Version     int                  `json:"version"`
	Privacy     proto.Privacy        `json:"privacy,omitempty"`
	NotifyOnAdd string               `json:"notify_on_add,omitempty"`
	Phones      map[string]string    `json:"phones,omitempty"`
	Groups      map[int]*proto.Group `json:"groups,omitempty"`
	Lines       string               `json:"lines,omitempty"`
	// Contacts are the lines in listJSONFormat, a JSON string each, and
	// the contacts as an object without Format.
	Contacts json.RawMessage `json:"contacts,omitempty"`
}

// encodeListCache returns cl in the cached form.
func encodeListCache(cl *proto.ContactList) ([]byte, error) {
	var b strings.Builder
	for _, ct := range cl.Contacts() {
		b.WriteString(escapeField(ct.Email))
		b.WriteByte('\t')
		b.WriteString(escapeField(ct.Name))
		b.WriteByte('\t')
		b.WriteString(strconv.Itoa(int(ct.Lists)))
		b.WriteByte('\t')
		for i, g := range ct.Groups {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(g))
		}
		for _, k := range slices.Sorted(maps.Keys(ct.Phones)) {
			b.WriteByte('\t')
			b.WriteString(escapeField(k) + "=" + escapeField(ct.Phones[k]))
		}
		b.WriteByte('\n')
	}
	return json.Marshal(listCache{Format: listCacheFormat, Version: cl.Version, Privacy: cl.Privacy,
		NotifyOnAdd: cl.NotifyOnAdd, Phones: cl.Phones, Groups: cl.GroupMap, Lines: b.String()})
}

// errListCache reports a cached list that cannot be used.
var errListCache = errors.New("cached contact list is damaged")

// DecodeCachedList reads a contact list as the state directory keeps it,
// in either form.
func DecodeCachedList(data []byte) (*proto.ContactList, error) {
	cl, _, err := decodeListCache(data)
	return cl, err
}

// decodeListCache reads a cached list in any form; older reports a form
// of older versions.
func decodeListCache(data []byte) (cl *proto.ContactList, older bool, err error) {
	var c listCache
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, false, err
	}
	var lines []string
	switch c.Format {
	case listCacheFormat:
		if len(c.Contacts) > 0 {
			return nil, false, errListCache
		}
		lines = contactLines(c.Lines)
	case listJSONFormat:
		if c.Lines != "" || len(c.Contacts) > 0 && json.Unmarshal(c.Contacts, &lines) != nil {
			return nil, false, errListCache
		}
	case 0:
		cl = proto.NewContactList()
		if err := json.Unmarshal(data, cl); err != nil {
			return nil, false, err
		}
		return cl, true, nil
	default:
		return nil, false, errListCache
	}
	cl, err = decodeCompact(c, lines)
	return cl, c.Format == listJSONFormat, err
}

// contactLines splits the contact lines of a cache, each ending in a
// line break, into lines that share the memory of rows.
func contactLines(rows string) []string {
	lines := make([]string, 0, strings.Count(rows, "\n"))
	for rest := rows; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		lines = append(lines, line)
	}
	return lines
}

// decodeCompact makes the list of a cache in the compact form.
func decodeCompact(c listCache, lines []string) (*proto.ContactList, error) {
	if len(lines) > proto.MaxContacts || len(c.Groups) > proto.MaxGroups+1 {
		return nil, errListCache
	}
	cl := proto.NewContactList()
	cl.Version, cl.Privacy, cl.NotifyOnAdd, cl.Phones = c.Version, c.Privacy, c.NotifyOnAdd, c.Phones
	for id, g := range c.Groups {
		if g == nil {
			return nil, errListCache
		}
		cl.GroupMap[id] = g
	}
	cl.ContactMap = make(map[string]*proto.Contact, len(lines))
	contacts := make([]proto.Contact, len(lines)) // one allocation for all
	for i, row := range lines {
		ct := &contacts[i]
		if err := decodeContact(row, ct); err != nil {
			return nil, err
		}
		cl.ContactMap[strings.ToLower(ct.Email)] = ct
	}
	return cl, nil
}

// decodeContact reads one contact's string into ct.
func decodeContact(row string, ct *proto.Contact) error {
	fEmail, rest, ok1 := strings.Cut(row, "\t")
	fName, rest, ok2 := strings.Cut(rest, "\t")
	fLists, rest, ok3 := strings.Cut(rest, "\t")
	fGroups, phones, more := strings.Cut(rest, "\t")
	email, err1 := unescapeField(fEmail)
	name, err2 := unescapeField(fName)
	lists, err3 := strconv.Atoi(fLists)
	if !ok1 || !ok2 || !ok3 || err1 != nil || err2 != nil || err3 != nil || email == "" || lists < 0 || lists > 15 {
		return errListCache
	}
	*ct = proto.Contact{Email: email, Name: name, Lists: proto.List(lists)}
	if fGroups != "" {
		ct.Groups = make([]int, 0, strings.Count(fGroups, ",")+1)
		for g := range strings.SplitSeq(fGroups, ",") {
			id, err := strconv.Atoi(g)
			if err != nil {
				return errListCache
			}
			ct.Groups = append(ct.Groups, id)
		}
	}
	for more {
		var kv string
		kv, phones, more = strings.Cut(phones, "\t")
		k, v, ok := strings.Cut(kv, "=")
		k, err1 := unescapeField(k)
		v, err2 := unescapeField(v)
		if !ok || err1 != nil || err2 != nil {
			return errListCache
		}
		if ct.Phones == nil {
			ct.Phones = map[string]string{}
		}
		ct.Phones[k] = v
	}
	return nil
}

// escapeField percent-escapes what would split a field: '%', tab,
// '=', ',' and control characters.
func escapeField(s string) string {
	if !strings.ContainsFunc(s, fieldEscaped) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x80 && fieldEscaped(rune(c)) {
			const hex = "0123456789ABCDEF"
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// fieldEscaped reports whether escapeField escapes r.
func fieldEscaped(r rune) bool { return r < ' ' || r == 0x7f || r == '%' || r == '=' || r == ',' }

// unescapeField undoes escapeField.
func unescapeField(s string) (string, error) {
	if !strings.Contains(s, "%") {
		return s, nil
	}
	return url.PathUnescape(s)
}
