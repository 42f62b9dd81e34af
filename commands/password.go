package commands

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"msn/commands/session"
	"msn/commands/shell"
	"msn/keyring"
	"msn/proto/secret"
)

// maxPassword bounds every password source.
const maxPassword = 4096

// passwordSources are the password flags of a command. At most one of
// Stdin, File and Command may be set.
type passwordSources struct {
	Stdin   bool
	File    string
	Command string
}

// check rejects more than one explicit source.
func (p passwordSources) check() error {
	n := 0
	for _, set := range []bool{p.Stdin, p.File != "", p.Command != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		return usageErrorf("give only one of --password-stdin, --password-file and --password-command")
	}
	return nil
}

// explicit reports whether a password flag was given.
func (p passwordSources) explicit() bool { return p.Stdin || p.File != "" || p.Command != "" }

// errNoPasswordSource is returned when a password is needed and nothing
// can supply one.
var errNoPasswordSource = &codedError{
	code: ExConfig,
	err:  session.ErrNoPasswordSource,
	hint: "use --password-stdin, --password-file or --password-command, or run msn login --save-password once",
}

// readPassword returns the password of account from the first source that
// applies: the flags, the keyring, then a terminal prompt. fromKeyring
// reports that it came from the keyring. The value checkPasswordSource
// read from a flag is used instead of reading it again.
func (e *Env) readPassword(ctx context.Context, src passwordSources, store *keyring.Store, account string) (pw secret.String, fromKeyring bool, err error) {
	if src.explicit() {
		if pw, ok := e.checked.take(src.Stdin); ok {
			return pw, false, nil
		}
		pw, err = e.readExplicit(ctx, src)
		return pw, false, err
	}
	if pw, ok := e.promptedPassword(); ok {
		return pw, false, nil
	}
	if e.promptErr != nil {
		return secret.String{}, false, e.promptErr
	}
	if store != nil {
		saved, err := store.Account(account, e.opts.Server).Password()
		if err == nil && !saved.Empty() {
			return saved, true, nil
		}
		if err != nil && !errors.Is(err, keyring.ErrNotFound) {
			e.Warnf("keyring: cannot read the saved password: %v", err)
		}
	}
	if e.Prompt != nil {
		pw, err = e.Prompt(ctx, fmt.Sprintf("Password for %s: ", account))
		if err == nil && pw.Empty() {
			err = withCode(ExDataErr, errors.New("empty password"))
		}
		return pw, false, err
	}
	return secret.String{}, false, errNoPasswordSource
}

// readExplicit reads the password from the flag that names its source.
func (e *Env) readExplicit(ctx context.Context, src passwordSources) (secret.String, error) {
	switch {
	case src.Stdin:
		return passwordFromReader(e.Stdin, "--password-stdin")
	case src.File != "":
		return passwordFromFile(src.File)
	case src.Command != "":
		return passwordFromCommand(ctx, src.Command, e.Stderr)
	}
	return secret.String{}, errNoPasswordSource
}

// checkPasswordSource reads the password from an explicit source (a
// password flag) before signing in, whether or not the sign-in turns
// out to need it: a cached ticket or another command's session must not
// hide a missing file, an insecure one, a failing command or an empty
// password. The value waits in e.checked for the sign-in that follows.
// Stdin is read once per process; a file or a command is read again
// before each sign-in (a long-running command that signs in again sees
// a changed password).
func (e *Env) checkPasswordSource(ctx context.Context, src passwordSources) error {
	if !src.explicit() || (src.Stdin && e.checked.has()) {
		return nil
	}
	if _, ok := ctx.Deadline(); !ok && e.opts.Timeout > 0 {
		// A long-running command's own context has no deadline; a
		// password command still gets --timeout, as during a sign-in.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, e.opts.Timeout)
		defer cancel()
	}
	pw, err := e.readExplicit(ctx, src)
	if err != nil {
		return err
	}
	e.checked.put(pw)
	return nil
}

// checkedPassword is a password read from a flag ahead of the sign-in
// that uses it. The sign-in may run on another goroutine.
type checkedPassword struct {
	mu sync.Mutex
	pw secret.String
}

// put keeps pw for the next sign-in.
func (c *checkedPassword) put(pw secret.String) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pw = pw
}

// has reports whether a password is kept.
func (c *checkedPassword) has() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.pw.Empty()
}

// take returns the kept password; unless keep, it is then forgotten, so
// that the next sign-in reads its source again.
func (c *checkedPassword) take(keep bool) (secret.String, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	pw := c.pw
	if !keep {
		c.pw = secret.String{}
	}
	return pw, !pw.Empty()
}

// passwordFromReader reads one line, without its CR/LF.
func passwordFromReader(r io.Reader, what string) (secret.String, error) {
	br := bufio.NewReaderSize(io.LimitReader(r, maxPassword+2), maxPassword+2)
	line, err := br.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return secret.String{}, withCode(ExDataErr, fmt.Errorf("%s: read: %w", what, err))
	}
	return cleanPassword(line, what)
}

// cleanPassword trims the line end and rejects empty, oversized or
// multi-line values. Errors never contain the value.
func cleanPassword(line, what string) (secret.String, error) {
	if len(line) > maxPassword+1 {
		return secret.String{}, withCode(ExDataErr, fmt.Errorf("%s: password longer than %d bytes", what, maxPassword))
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return secret.String{}, withCode(ExDataErr, fmt.Errorf("%s: empty password", what))
	}
	if strings.ContainsAny(pw, "\r\n\x00") {
		return secret.String{}, withCode(ExDataErr, fmt.Errorf("%s: password contains a line break or NUL", what))
	}
	return secret.New(pw), nil
}

// passwordFromFile reads the first line of path. The file must be the
// user's own and private: a missing file is 66; a symbolic link, a file
// owned by another user, or one group or others can access is 78 (a
// link is refused rather than followed, since whoever can plant one
// could point it at any file of the user's; name the file itself); a
// directory, device or pipe is 66. The checks are made on the opened
// descriptor (keyring.OpenPrivate).
func passwordFromFile(path string) (secret.String, error) {
	f, err := keyring.OpenPrivate(path)
	var pe *keyring.PrivateError
	switch {
	case errors.As(err, &pe) && errors.Is(err, keyring.ErrNotRegular):
		return secret.String{}, withCode(ExNoInput, fmt.Errorf("--password-file %w", err))
	case errors.As(err, &pe):
		return secret.String{}, &codedError{code: ExConfig, err: fmt.Errorf("--password-file %w", err), hint: pe.Fix}
	case err != nil:
		return secret.String{}, withCode(ExNoInput, fmt.Errorf("--password-file: %w", err))
	}
	defer f.Close()
	return passwordFromReader(f, "--password-file")
}

// passwordFromCommand runs cmd with sh -c and takes the first line of its
// output. The command's stderr goes to stderr.
func passwordFromCommand(ctx context.Context, command string, stderr io.Writer) (secret.String, error) {
	out := &limitedBuffer{limit: maxPassword + 2}
	err := shell.Run(ctx, shell.Command{Line: command, Stdout: out, Stderr: stderr, WaitDelay: time.Second})
	if err != nil {
		if ctx.Err() != nil {
			return secret.String{}, fmt.Errorf("--password-command: %w", ctx.Err())
		}
		return secret.String{}, withCode(ExConfig, fmt.Errorf("--password-command: %w", err))
	}
	if out.overflow {
		return secret.String{}, withCode(ExDataErr, fmt.Errorf("--password-command: output longer than %d bytes", maxPassword))
	}
	line, _, _ := strings.Cut(string(out.buf), "\n")
	return cleanPassword(line, "--password-command")
}

// limitedBuffer keeps the first limit bytes written to it and discards the
// rest, so a runaway command cannot use up memory.
type limitedBuffer struct {
	buf      []byte
	limit    int
	overflow bool
}

// Write keeps what fits and reports every byte as written.
func (b *limitedBuffer) Write(p []byte) (int, error) {
	n := len(p)
	room := b.limit - len(b.buf)
	if n > room {
		b.overflow = true
		p = p[:max(room, 0)]
	}
	b.buf = append(b.buf, p...)
	return n, nil
}

// terminalPrompt returns a prompt over the terminal on in, or nil when in
// is not a terminal. The prompt is written to, and the password read
// from, the controlling terminal (/dev/tty) when there is one, so that
// redirecting stderr does not hide it; else in and out. The echo is
// restored when ctx ends mid-prompt.
func terminalPrompt(in *os.File, out io.Writer) func(context.Context, string) (secret.String, error) {
	if !term.IsTerminal(int(in.Fd())) {
		return nil
	}
	return func(ctx context.Context, prompt string) (secret.String, error) {
		fd, w := int(in.Fd()), out
		if tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0); err == nil {
			defer tty.Close()
			fd, w = int(tty.Fd()), tty
		}
		return readHidden(ctx, fd, w, prompt)
	}
}

// readHidden shows prompt on w and reads one line from the terminal fd
// without echo.
func readHidden(ctx context.Context, fd int, w io.Writer, prompt string) (secret.String, error) {
	state, err := term.GetState(fd)
	if err != nil {
		return secret.String{}, fmt.Errorf("terminal: %w", err)
	}
	fmt.Fprint(w, prompt)
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		fmt.Fprintln(w)
		if r.err != nil {
			return secret.String{}, fmt.Errorf("terminal: %w", r.err)
		}
		return cleanPassword(string(r.b), "prompt")
	case <-ctx.Done():
		_ = term.Restore(fd, state)
		fmt.Fprintln(w)
		return secret.String{}, ctx.Err()
	}
}
