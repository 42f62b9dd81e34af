package commands

import (
	"msn/commands/session"
	"msn/keyring"
	"msn/proto"
)

// cachedValues returns the accounts, contacts or groups of kind from the
// state file: the contact list cached for the account (-a, MSN_ACCOUNT,
// else the default) on its server (--server, MSN_SERVER, what login
// recorded, else the default; else any server). It reads no secret.
func cachedValues(env *Env, globals map[string]string, kind valueKind) []string {
	snap := keyring.Peek("")
	if kind == accountValues {
		return snap.Accounts()
	}
	account := firstOf(globals["account"], env.opts.Account, snap.Default())
	if account == "" {
		return nil
	}
	server := globals["server"]
	if server == "" && env.opts.explicit["server"] {
		server = env.opts.Server
	}
	server = firstOf(server, snap.Settings(account).Server, DefaultServer)
	cl := cachedContactList(snap, account, server)
	if cl == nil {
		return nil
	}
	var out []string
	if kind == groupValues {
		for _, g := range cl.Groups() {
			out = append(out, g.Name)
		}
		return out
	}
	var people []*proto.Contact
	switch kind {
	case contactValues:
		people = cl.On(proto.ForwardList)
	case pendingValues:
		people = cl.Pending()
	case blockedValues:
		people = cl.On(proto.BlockList)
	case knownValues:
		people = cl.Contacts()
	}
	for _, c := range people {
		out = append(out, c.Email)
	}
	return out
}

// cachedContactList returns the first contact list of account's states
// that decodes, the one on server first; nil when there is none.
func cachedContactList(snap keyring.Snapshot, account, server string) *proto.ContactList {
	for _, st := range snap.States(account, server) {
		if len(st.List) == 0 {
			continue
		}
		if cl, err := session.DecodeCachedList(st.List); err == nil {
			return cl
		}
	}
	return nil
}

// firstOf returns the first of values that is not empty.
func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
