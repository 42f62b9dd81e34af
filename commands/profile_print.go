package commands

import (
	"msn/commands/session"
	"msn/proto"
)

// privacyWords names and explains the privacy modes (BLP). BL means
// that only the allow list may reach you.
var privacyWords = map[proto.Privacy][2]string{
	proto.AllowUnlisted: {"allow-all", "everyone not on your block list may see you and message you"},
	proto.BlockUnlisted: {"block-all", "only the people on your allow list may see you and message you"},
}

// printProfile prints the handle, friendly name, phone numbers, privacy
// settings and the presence msn's sessions use.
func printProfile(env *Env, s *session.Session, name string, cl *proto.ContactList) error {
	privacy, explain := "unknown", "the server did not say"
	if w, ok := privacyWords[cl.Privacy]; ok {
		privacy, explain = w[0], w[1]
	}
	notify := "unknown"
	switch cl.NotifyOnAdd {
	case "A":
		notify = "yes"
	case "N":
		notify = "no"
	}
	presence := env.ownPresence(s.Account, false)
	if env.opts.JSON {
		obj := map[string]any{"type": "profile", "account": s.Account, "handle": s.Result.Handle, "name": name,
			"phones": phonesByName(cl.Phones), "privacy": privacy, "notify_on_add": notify, "presence": presence.String()}
		return env.printJSON(obj)
	}
	t := newTable()
	t.add("handle", orDash(s.Result.Handle))
	t.add("name", name)
	t.add("phone home", orDash(cl.Phones[proto.PhoneHome]))
	t.add("phone work", orDash(cl.Phones[proto.PhoneWork]))
	t.add("phone mobile", orDash(cl.Phones[proto.PhoneMobile]))
	t.add("privacy", privacy+": "+explain)
	t.add("notify on add", notify)
	t.add("presence", presence.String()+" (msn status set)")
	return t.write(env.Stdout)
}
