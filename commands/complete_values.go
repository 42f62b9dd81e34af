package commands

import (
	"msn/keyring"
	"msn/proto"
)

// valueKind says where the candidates for a flag value or an argument
// come from.
type valueKind int

// The kinds of values completion knows.
const (
	noValues      valueKind = iota // nothing to offer (free text)
	fileValues                     // a path, completed by the shell
	dirValues                      // a directory, completed by the shell
	commandValues                  // a command name, completed by the shell
	choiceValues                   // one of a fixed set
	accountValues                  // an account known in the state file
	contactValues                  // a contact on the cached forward list
	pendingValues                  // someone who added you and awaits an answer
	blockedValues                  // someone on the cached block list
	knownValues                    // anyone on any cached list
	groupValues                    // a group of the cached list
)

// valueSpec describes the values of one flag or argument.
type valueSpec struct {
	kind    valueKind
	choices []string // for choiceValues
}

// argSpec describes the positional arguments of a command: one spec per
// position, the last repeating when repeat is set.
type argSpec struct {
	values []valueSpec
	repeat bool
}

// oneOf returns the spec of a value from a fixed set.
func oneOf(choices ...string) valueSpec { return valueSpec{kind: choiceValues, choices: choices} }

// Kinds of values as specs, for the tables below.
var (
	files    = valueSpec{kind: fileValues}
	dirs     = valueSpec{kind: dirValues}
	accounts = valueSpec{kind: accountValues}
	contacts = valueSpec{kind: contactValues}
	pending  = valueSpec{kind: pendingValues}
	blocked  = valueSpec{kind: blockedValues}
	known    = valueSpec{kind: knownValues}
	groups   = valueSpec{kind: groupValues}
	freeText = valueSpec{kind: noValues}
)

// flagValues are the values of the flags that have more to offer than
// free text, keyed by the command's path and the flag's name ("--keyring"
// for a global flag, "contacts list --list"). A flag that takes a file
// (TakesFile) and is not listed completes paths.
var flagValues = map[string]valueSpec{
	"--account":               accounts,
	"--keyring":               oneOf(string(keyring.ModeAuto), string(keyring.ModeSystem), string(keyring.ModeFile), string(keyring.ModeNone)),
	"--protocol":              oneOf("msnp8", "msnp7"),
	"status --wait-online":    contacts,
	"send --to":               contacts,
	"listen --from":           contacts,
	"recvfile --from":         contacts,
	"recvfile --dir":          dirs,
	"contacts --list":         oneOf(listChoices()...),
	"contacts --group":        groups,
	"contacts list --list":    oneOf(listChoices()...),
	"contacts list --group":   groups,
	"contacts add --group":    groups,
	"contacts remove --group": groups,
	"profile --privacy":       oneOf("allow-all", "block-all"),
	"profile --notify-on-add": oneOf("yes", "no"),
	"serve --tickets":         oneOf("single-use", "reusable"),
}

// argValues are the positional arguments of the commands that take
// some, by the command's path.
var argValues = map[string]argSpec{
	"login":                 {values: []valueSpec{accounts}},
	"logout":                {values: []valueSpec{accounts}},
	"status set":            {values: []valueSpec{oneOf(presenceChoices()...)}},
	"send":                  {values: []valueSpec{contacts}, repeat: true},
	"notify":                {values: []valueSpec{contacts}, repeat: true},
	"sendfile":              {values: []valueSpec{contacts, files}},
	"contacts add":          {values: []valueSpec{pending}},
	"contacts remove":       {values: []valueSpec{contacts}},
	"contacts block":        {values: []valueSpec{known}},
	"contacts unblock":      {values: []valueSpec{blocked}},
	"contacts allow":        {values: []valueSpec{known}},
	"contacts group rename": {values: []valueSpec{groups, freeText}},
	"contacts group remove": {values: []valueSpec{groups}},
}

// listChoices returns the names of the four contact lists.
func listChoices() []string {
	var names []string
	for _, l := range []proto.List{proto.ForwardList, proto.AllowList, proto.BlockList, proto.ReverseList} {
		names = append(names, l.Name())
	}
	return names
}

// presenceChoices returns the states msn status set accepts.
func presenceChoices() []string {
	names := make([]string, len(presenceStates))
	for i, s := range presenceStates {
		names[i] = s.String()
	}
	return names
}

// FlagChoices returns the fixed set of values that flag name (without
// dashes) of the command at path ("" for a global flag, "contacts list")
// accepts, or nil when it takes free text. The man page shows them.
func FlagChoices(path, name string) []string {
	return flagValues[flagKey(path, name)].choices
}

// flagKey returns the key of flag name of the command at path in
// flagValues.
func flagKey(path, name string) string {
	if path == "" {
		return "--" + name
	}
	return path + " --" + name
}
