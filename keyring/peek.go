package keyring

import (
	"sort"
	"strings"
)

// Snapshot is a read-only copy of the state file, taken without opening
// the keyring: it holds no secrets. Shell completion reads it.
type Snapshot struct {
	f   stateFile
	dir string
}

// Peek reads the state file of stateDir (empty: the default directory)
// without locking, writing or moving anything; a missing or unreadable
// file gives an empty Snapshot.
func Peek(stateDir string) Snapshot {
	if stateDir == "" {
		d, err := defaultStateDir()
		if err != nil {
			return Snapshot{}
		}
		stateDir = d
	}
	f, aside, _ := peekStateFile(stateDir)
	if aside {
		return Snapshot{}
	}
	return Snapshot{f: f, dir: stateDir}
}

// Default returns the default account, "" when there is none.
func (s Snapshot) Default() string { return s.f.Default }

// Accounts returns every account the state file knows (the default,
// those with recorded settings and those with a cache), sorted.
func (s Snapshot) Accounts() []string {
	seen := map[string]bool{}
	if s.f.Default != "" {
		seen[s.f.Default] = true
	}
	for a := range s.f.Settings {
		seen[a] = true
	}
	for k := range s.f.States {
		if a, _, ok := strings.Cut(k, " "); ok {
			seen[a] = true
		}
	}
	out := make([]string, 0, len(seen))
	for a := range seen {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// Settings returns what msn login recorded for account.
func (s Snapshot) Settings(account string) Settings {
	k, err := accountKey(account)
	if err != nil {
		return Settings{}
	}
	return s.f.Settings[k]
}

// States returns the states of account, the one on server first when
// there is one, then the others by server, each with its contact list.
func (s Snapshot) States(account, server string) []State {
	k, err := accountKey(account)
	if err != nil {
		return nil
	}
	var first, rest []State
	for key, st := range s.f.States {
		a, srv, ok := strings.Cut(key, " ")
		switch {
		case !ok || a != k:
		case srv == server:
			first = append(first, s.withList(key, st))
		default:
			rest = append(rest, s.withList(key, st))
		}
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].Server < rest[j].Server })
	return append(first, rest...)
}

// withList returns st with the contact list saved for key, unless it
// has one from the older layout.
func (s Snapshot) withList(key string, st State) State {
	if len(st.List) == 0 && s.dir != "" {
		st.List = readList(s.dir, key)
	}
	return st
}
