package commands

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"msn/keyring"
	"msn/proto"
)

// cacheList saves cl as account's cached contact list on server in the
// state directory of XDG_STATE_HOME, as a session would, and makes
// account the default when asked.
func cacheList(t *testing.T, account, server string, cl *proto.ContactList, makeDefault bool) {
	t.Helper()
	store, err := keyring.Open(keyring.Config{Mode: keyring.ModeNone})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(cl)
	if err != nil {
		t.Fatal(err)
	}
	acct := store.Account(account, server)
	if err := acct.SaveState(keyring.State{ListVersion: cl.Version, List: data}); err != nil {
		t.Fatal(err)
	}
	if makeDefault {
		if err := acct.MakeDefault(); err != nil {
			t.Fatal(err)
		}
	}
}

// testList returns a contact list with a contact, a pending one, a
// blocked one and a group.
func testList() *proto.ContactList {
	cl := proto.NewContactList()
	cl.Version = 7
	cl.GroupMap[1] = &proto.Group{ID: 1, Name: "Work"}
	cl.ContactMap["bob@example.com"] = &proto.Contact{Email: "bob@example.com", Lists: proto.ForwardList | proto.AllowList, Groups: []int{1}}
	cl.ContactMap["carol@example.com"] = &proto.Contact{Email: "carol@example.com", Lists: proto.ForwardList | proto.AllowList | proto.ReverseList}
	cl.ContactMap["dave@example.com"] = &proto.Contact{Email: "dave@example.com", Lists: proto.ReverseList}
	cl.ContactMap["eve@example.com"] = &proto.Contact{Email: "eve@example.com", Lists: proto.BlockList}
	return cl
}

// completeWords runs msn __complete words... and returns its lines.
func completeWords(t *testing.T, words ...string) []string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &Env{Stdout: &stdout, Stderr: &stderr, Stdin: strings.NewReader("")}
	if err := NewAppWithEnv(env).Run(append([]string{"msn", CompleteCommand}, words...)); err != nil {
		t.Fatalf("msn __complete %q: %v (%s)", words, err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("msn __complete %q wrote on stderr: %s", words, stderr.String())
	}
	return strings.Fields(stdout.String())
}

// TestComplete checks the candidates for typical command lines.
func TestComplete(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", filepath.Join(t.TempDir(), "state"))
	t.Setenv("MSN_ACCOUNT", "")
	t.Setenv("MSN_SERVER", "")
	cacheList(t, "alice@example.com", DefaultServer, testList(), true)
	cacheList(t, "zed@example.com", "other.example:1863", proto.NewContactList(), false)
	for _, tc := range []struct {
		words []string
		want  []string
	}{
		{[]string{"--k"}, []string{"--keyring"}},
		{[]string{"--keyring", ""}, []string{"auto", "file", "none", "system"}},
		{[]string{"--keyring=n"}, []string{"--keyring=none"}},
		{[]string{"--protocol", ""}, []string{"msnp7", "msnp8"}},
		{[]string{"-a", ""}, []string{"alice@example.com", "zed@example.com"}},
		{[]string{"status", "set", ""}, []string{"away", "brb", "busy", "hidden", "idle", "lunch", "online", "phone"}},
		{[]string{"status", ""}, []string{"set"}},
		{[]string{"status", "--wait-online", ""}, []string{"bob@example.com", "carol@example.com"}},
		{[]string{"-a", "alice@example.com", "send", ""}, []string{"bob@example.com", "carol@example.com"}},
		{[]string{"-a", "alice@example.com", "send", "bob@example.com", "c"}, []string{"carol@example.com"}},
		{[]string{"-a", "zed@example.com", "send", ""}, nil},
		{[]string{"contacts", "add", ""}, []string{"dave@example.com"}},
		{[]string{"contacts", "unblock", ""}, []string{"eve@example.com"}},
		{[]string{"contacts", "list", "--list", ""}, []string{"allow", "block", "forward", "reverse"}},
		{[]string{"contacts", "list", "--group", ""}, []string{"Work"}},
		{[]string{"contacts", "group", ""}, []string{"add", "remove", "rename"}},
		{[]string{"contacts", "group", "rename", ""}, []string{"Work"}},
		{[]string{"contacts", "group", "rename", "Work", ""}, nil},
		{[]string{"sendfile", "bob@example.com", ""}, []string{completeFiles}},
		{[]string{"--ca-file", "x"}, []string{completeFiles}},
		{[]string{"recvfile", "--dir", ""}, []string{completeDirs}},
		{[]string{"notify", "bob@example.com", "--", ""}, []string{completeCommands}},
		{[]string{"notify", "bob@example.com", "--", "make", ""}, []string{completeFiles}},
		{[]string{"send", "--t"}, []string{"--to", "--typing"}},
		{[]string{"send", "bob@example.com", "--"}, nil},
	} {
		got := completeWords(t, tc.words...)
		if !slices.Equal(got, tc.want) {
			t.Errorf("msn %s<TAB> = %q, want %q", strings.Join(tc.words, " "), got, tc.want)
		}
	}
	// MSN_ACCOUNT chooses the account, as -a does.
	t.Setenv("MSN_ACCOUNT", "zed@example.com")
	if got := completeWords(t, "send", ""); len(got) > 0 {
		t.Errorf("MSN_ACCOUNT=zed msn send <TAB> = %q, want zed's empty list", got)
	}
}

// TestCompleteTopLevel checks the commands and global flags offered
// first: no help command, no --help, no hidden command.
func TestCompleteTopLevel(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", filepath.Join(t.TempDir(), "state"))
	got := completeWords(t, "")
	for _, c := range NewApp().Commands {
		if !c.Hidden && !slices.Contains(got, c.Name) {
			t.Errorf("msn <TAB> lacks %s: %q", c.Name, got)
		}
	}
	for _, bad := range []string{"help", "h", CompleteCommand} {
		if slices.Contains(got, bad) {
			t.Errorf("msn <TAB> offers %s: %q", bad, got)
		}
	}
	flags := completeWords(t, "--")
	for _, f := range globalFlags() {
		if !slices.Contains(flags, "--"+f.Names()[0]) {
			t.Errorf("msn --<TAB> lacks --%s: %q", f.Names()[0], flags)
		}
	}
	if slices.Contains(flags, "--help") || slices.Contains(flags, "--generate-bash-completion") {
		t.Errorf("msn --<TAB> = %q", flags)
	}
}

// TestCompletionTablesMatchTheApp fails when flagValues or argValues
// name a command or flag that does not exist, or offer a value the
// command refuses.
func TestCompletionTablesMatchTheApp(t *testing.T) {
	app := NewApp()
	find := func(path string) *cli.Command {
		var cmd *cli.Command
		cmds := app.Commands
		for _, name := range strings.Fields(path) {
			if cmd = findCommand(cmds, name); cmd == nil {
				return nil
			}
			cmds = cmd.Subcommands
		}
		return cmd
	}
	for key := range flagValues {
		path, name, _ := strings.Cut(key, "--")
		path = strings.TrimSpace(path)
		flags := app.Flags
		if path != "" {
			cmd := find(path)
			if cmd == nil {
				t.Errorf("flagValues: no command %q", path)
				continue
			}
			flags = cmd.Flags
		}
		if f := findFlag(flags, name); f == nil || !takesValue(f) {
			t.Errorf("flagValues: %q is not a flag that takes a value", key)
		}
	}
	for path, spec := range argValues {
		if cmd := find(path); cmd == nil || cmd.ArgsUsage == "" {
			t.Errorf("argValues: %q is not a command that takes arguments", path)
		}
		if len(spec.values) == 0 {
			t.Errorf("argValues: %q has no values", path)
		}
	}
	for _, m := range FlagChoices("", "keyring") {
		if _, err := parseKeyringMode(m); err != nil {
			t.Errorf("--keyring %s: %v", m, err)
		}
	}
	for _, p := range FlagChoices("", "protocol") {
		if _, err := parseProtocol(p); err != nil {
			t.Errorf("--protocol %s: %v", p, err)
		}
	}
	for _, l := range FlagChoices("contacts list", "list") {
		if _, ok := proto.ParseList(l); !ok {
			t.Errorf("--list %s is refused", l)
		}
	}
	for _, s := range argValues["status set"].values[0].choices {
		if _, err := parsePresence(s); err != nil {
			t.Errorf("status set %s: %v", s, err)
		}
	}
}
