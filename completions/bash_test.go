package completions_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"msn/commands"
	"msn/completions"
	"msn/keyring"
	"msn/proto"
)

// asMSN makes the test binary run as msn, for the completion scripts to
// call.
const asMSN = "MSN_COMPLETIONS_TEST_AS_MSN"

func TestMain(m *testing.M) {
	if os.Getenv(asMSN) == "1" {
		os.Exit(commands.Report(os.Stderr, commands.NewApp().Run(os.Args)))
	}
	os.Exit(m.Run())
}

// bashCompletion is where Debian's bash-completion package keeps its
// entry point.
const bashCompletion = "/usr/share/bash-completion/bash_completion"

// completion is one completion request: the words as bash splits them,
// the last being the one completed.
type completion struct {
	words []string
	line  string
}

// TestBashCompletion sources completions/msn.bash in a bash with the
// bash-completion package loaded, runs the completion function as bash
// would for several command lines, and checks COMPREPLY.
func TestBashCompletion(t *testing.T) {
	bash := requireBash(t)
	work, env := fixture(t)
	script := filepath.Join(t.TempDir(), "msn.bash")
	if err := os.WriteFile(script, []byte(completions.Bash("msn")), 0o600); err != nil {
		t.Fatal(err)
	}

	cases := []completion{
		{words: []string{"msn", "--"}},
		{words: []string{"msn", "--keyring", ""}},
		{words: []string{"msn", "--keyring", "=", "n"}, line: "msn --keyring=n"},
		{words: []string{"msn", "status", "set", ""}},
		{words: []string{"msn", "send", ""}},
		{words: []string{"msn", "send", "bob@example.com", "c"}},
		{words: []string{"msn", ""}},
		{words: []string{"msn", "sendfile", "bob@example.com", "ma"}},
	}
	got := runBash(t, bash, work, env, script, cases)

	globals := got[0]
	for _, want := range []string{"--account", "--keyring", "--protocol", "--json", "--no-share"} {
		if !slices.Contains(globals, want) {
			t.Errorf("msn --<TAB>: no %s in %q", want, globals)
		}
	}
	if slices.Contains(globals, "--help") {
		t.Errorf("msn --<TAB> offers --help: %q", globals)
	}
	expect(t, "msn --keyring <TAB>", got[1], "auto", "file", "none", "system")
	expect(t, "msn --keyring=n<TAB>", got[2], "none")
	expect(t, "msn status set <TAB>", got[3], "away", "brb", "busy", "hidden", "idle", "lunch", "online", "phone")
	expect(t, "msn send <TAB>", got[4], "bob@example.com", "carol@example.com")
	expect(t, "msn send bob@example.com c<TAB>", got[5], "carol@example.com")
	top := got[6]
	for _, bad := range []string{"help", "h", commands.CompleteCommand} {
		if slices.Contains(top, bad) {
			t.Errorf("msn <TAB> offers %s: %q", bad, top)
		}
	}
	for _, want := range []string{"login", "send", "status", "contacts"} {
		if !slices.Contains(top, want) {
			t.Errorf("msn <TAB>: no %s in %q", want, top)
		}
	}
	expect(t, "msn sendfile bob@example.com ma<TAB>", got[7], "mail", "main.txt")
}

// fixture makes a directory to complete in (with a file main.txt and a
// directory mail), a state directory with a cached contact list of the
// default account alice (bob and carol), and the test binary as msn in
// PATH; it returns the directory and the environment to add.
func fixture(t *testing.T) (work string, env []string) {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	state := filepath.Join(dir, "state")
	work = filepath.Join(dir, "work")
	for _, d := range []string{bin, filepath.Join(work, "mail")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(work, "main.txt"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(self, filepath.Join(bin, "msn")); err != nil {
		t.Fatal(err)
	}
	cacheContacts(t, filepath.Join(state, "msn"), "alice@example.com", "bob@example.com", "carol@example.com")
	return work, []string{
		"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"XDG_STATE_HOME=" + state, "MSN_ACCOUNT=", "MSN_SERVER=", asMSN + "=1",
	}
}

// requireBash returns bash once bash-completion is there.
func requireBash(t *testing.T) string {
	t.Helper()
	bash := requireTool(t, "bash", "bash")
	if _, err := os.Stat(bashCompletion); err != nil {
		need(t, "bash-completion", err)
	}
	return bash
}

// requireTool returns the path of program name, from Debian package pkg.
func requireTool(t *testing.T, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		need(t, pkg, err)
	}
	return path
}

// need stops a test that lacks Debian package pkg: outside CI it skips
// it, and in CI, where .ci/run installs the package, it fails it.
func need(t *testing.T, pkg string, err error) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("the Debian package %s is needed (%v); .ci/run installs it", pkg, err)
	}
	t.Skipf("the Debian package %s is needed: %v", pkg, err)
}

// cacheContacts saves a contact list of account with contacts on its
// forward list in the state directory dir, and makes account the
// default.
func cacheContacts(t *testing.T, dir, account string, contacts ...string) {
	t.Helper()
	store, err := keyring.Open(keyring.Config{Mode: keyring.ModeNone, StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	cl := proto.NewContactList()
	cl.Version = 3
	for _, c := range contacts {
		cl.ContactMap[c] = &proto.Contact{Email: c, Lists: proto.ForwardList | proto.AllowList}
	}
	data, err := json.Marshal(cl)
	if err != nil {
		t.Fatal(err)
	}
	acct := store.Account(account, commands.DefaultServer)
	if err := acct.SaveState(keyring.State{ListVersion: cl.Version, List: data}); err != nil {
		t.Fatal(err)
	}
	if err := acct.MakeDefault(); err != nil {
		t.Fatal(err)
	}
}

// runBash runs every completion in one bash and returns each COMPREPLY.
func runBash(t *testing.T, bash, dir string, env []string, script string, cases []completion) [][]string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "source %s\nsource %s\n", quote(bashCompletion), quote(script))
	b.WriteString("complete -p msn | grep -q nospace && echo 'msn is completed with -o nospace' >&2\n")
	for _, c := range cases {
		line := c.line
		if line == "" {
			line = strings.Join(c.words, " ")
		}
		quoted := make([]string, len(c.words))
		for i, w := range c.words {
			quoted[i] = quote(w)
		}
		cword := len(c.words) - 1
		fmt.Fprintf(&b, "COMP_WORDS=(%s); COMP_CWORD=%d; COMP_LINE=%s; COMP_POINT=${#COMP_LINE}; COMPREPLY=()\n",
			strings.Join(quoted, " "), cword, quote(line))
		fmt.Fprintf(&b, "_msn_complete msn %s %s\n", quote(c.words[cword]), quote(c.words[cword-1]))
		b.WriteString("printf '%s\\n' \"${COMPREPLY[@]}\"; echo '@@'\n")
	}
	cmd := exec.Command(bash, "--norc", "--noprofile", "-c", b.String())
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("bash: %v\n%s", err, stderr.String())
	}
	var replies [][]string
	for _, block := range strings.Split(string(out), "@@\n") {
		replies = append(replies, strings.Fields(block))
	}
	if len(replies) < len(cases) {
		t.Fatalf("bash printed %d replies for %d cases:\n%s", len(replies), len(cases), out)
	}
	return replies
}

// expect fails unless got holds exactly want, in any order.
func expect(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	got = slices.Sorted(slices.Values(got))
	if !slices.Equal(got, want) {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

// quote quotes s for bash.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
