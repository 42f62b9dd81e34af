package commands

import (
	"fmt"
	"strings"
	"time"

	"msn/commands/session"
	"msn/proto"
)

// statusPrinter prints presence as a table, as change lines or as JSON
// objects, one per line.
type statusPrinter struct {
	env     *Env
	account string
	width   int             // of the address column of change lines
	only    map[string]bool // when set, the only contacts shown
	online  bool            // list only the contacts signed in
}

// listed returns the rows to list: those of the contacts asked about,
// and only those signed in when online.
func (p *statusPrinter) listed(rows []presenceRow) []presenceRow {
	if p.only == nil && !p.online {
		return rows
	}
	var out []presenceRow
	for _, r := range rows {
		if p.shows(r.Email) && (!p.online || r.Status != proto.StatusOffline) {
			out = append(out, r)
		}
	}
	return out
}

// shows reports whether the contact email is one to show.
func (p *statusPrinter) shows(email string) bool {
	return p.only == nil || p.only[strings.ToLower(email)]
}

// snapshot prints every contact's presence.
func (p *statusPrinter) snapshot(rows []presenceRow) error {
	if p.env.opts.JSON {
		now := time.Now()
		for _, r := range rows {
			if err := p.json(now, r.Email, r.Status, r.Name, true); err != nil {
				return err
			}
		}
		return nil
	}
	if len(rows) == 0 {
		switch {
		case p.online:
			p.env.Warnf("none of those contacts is signed in")
		case p.only == nil:
			p.env.Warnf("no contacts on your forward list")
		}
		return nil
	}
	t := newTable("EMAIL", "STATUS", "NAME")
	t.grow(len(rows))
	for _, r := range rows {
		t.add(r.Email, showStatus(r.Status), r.Name)
	}
	return t.write(p.env.Stdout)
}

// change prints one change as it happens.
func (p *statusPrinter) change(c session.Change) error {
	if !p.shows(c.Email) {
		return nil
	}
	if p.env.opts.JSON {
		if c.Reverse != "" {
			return p.env.printJSON(map[string]any{"type": "reverse-list", "time": timestamp(c.Time),
				"account": p.account, "peer": c.Email, "name": c.Name, "change": c.Reverse})
		}
		return p.json(c.Time, c.Email, c.Status, c.Name, false)
	}
	what := showStatus(c.Status)
	switch c.Reverse {
	case "added":
		what = "added you"
	case "removed":
		what = "removed you"
	}
	email := showText(c.Email)
	pad := strings.Repeat(" ", max(0, p.width-displayWidth(email)))
	line := fmt.Sprintf("%s  %s%s  %-8s  %s", c.Time.Format("15:04:05"), email, pad, what, showText(c.Name))
	_, err := fmt.Fprintln(p.env.Stdout, strings.TrimRight(line, " "))
	return err
}

// json prints one presence object.
func (p *statusPrinter) json(t time.Time, email string, s proto.Status, name string, initial bool) error {
	status := showStatus(s)
	return p.env.printJSON(map[string]any{"type": "presence", "time": timestamp(t), "account": p.account,
		"peer": email, "status": status, "name": name, "initial": initial})
}
