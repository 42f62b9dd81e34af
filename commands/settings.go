package commands

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"msn/keyring"
	"msn/proto"
)

// recordable are the global flags msn login records for an account;
// later commands of the account use them unless a flag or an
// environment variable says otherwise.
var recordable = []string{"server", "nexus", "ca-file", "protocol", "keyring"}

// explicitFlags returns the recordable flags that the command line or
// the environment set; an empty environment variable counts as unset.
func explicitFlags(c *cli.Context) map[string]bool {
	set := map[string]bool{}
	for _, name := range recordable {
		set[name] = c.IsSet(name) && strings.TrimSpace(c.String(name)) != ""
	}
	return set
}

// applyRecorded fills the recordable flags that were not set with what
// msn login recorded for account (empty: the default account), and
// returns the account it settled on, "" when there is none. Only the
// first call does anything: the settings are fixed before the keyring is
// opened with them.
func (e *Env) applyRecorded(account string) string {
	e.recordOnce.Do(func() {
		rec, resolved, err := keyring.Recorded("", account)
		e.recordedAccount = resolved
		if err != nil {
			return
		}
		o := &e.opts
		if !o.explicit["server"] && rec.Server != "" {
			o.Server = rec.Server
		}
		if !o.explicit["nexus"] && rec.Nexus != "" {
			o.Nexus = rec.Nexus
		}
		if !o.explicit["ca-file"] && rec.CAFile != "" {
			o.CAFile = rec.CAFile
		}
		if !o.explicit["protocol"] && rec.Protocol != "" {
			if p, err := parseProtocol(rec.Protocol); err == nil {
				o.Protocol = p
			}
		}
		if !o.explicit["keyring"] && rec.Keyring != "" {
			if m, err := parseKeyringMode(string(rec.Keyring)); err == nil {
				o.Keyring = m
			}
		}
	})
	return e.recordedAccount
}

// recordSettings records, for acct, the settings this command used.
func (e *Env) recordSettings(acct keyring.Account) error {
	ca := e.opts.CAFile
	if ca != "" {
		abs, err := filepath.Abs(ca)
		if err != nil {
			return fmt.Errorf("record settings: %w", err)
		}
		ca = abs
	}
	return acct.SaveSettings(keyring.Settings{
		Server:   e.opts.Server,
		Nexus:    e.opts.Nexus,
		CAFile:   ca,
		Protocol: strings.ToLower(string(e.opts.Protocol)),
		Keyring:  e.opts.Keyring,
	})
}

// parseProtocol accepts msnp8 and msnp7, in any case.
func parseProtocol(s string) (proto.Protocol, error) {
	switch p := strings.ToLower(strings.TrimSpace(s)); p {
	case "msnp8":
		return proto.MSNP8, nil
	case "msnp7":
		return proto.MSNP7, nil
	default:
		return "", fmt.Errorf("%q: want msnp8 or msnp7", p)
	}
}

// parseKeyringMode accepts the keyring modes, in any case.
func parseKeyringMode(s string) (keyring.Mode, error) {
	switch m := keyring.Mode(strings.ToLower(strings.TrimSpace(s))); m {
	case keyring.ModeAuto, keyring.ModeSystem, keyring.ModeFile, keyring.ModeNone:
		return m, nil
	default:
		return "", fmt.Errorf("%q: want auto, system, file or none", m)
	}
}
