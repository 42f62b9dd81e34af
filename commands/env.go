package commands

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"sync"
	"time"

	"github.com/urfave/cli/v2"

	"msn/keyring"
	"msn/proto"
	"msn/proto/passport"
	"msn/proto/secret"
)

// Env carries everything a command takes from the outside world: its
// streams, the terminal, the global options and, opened on first use, the
// keyring store. Tests build one over buffers.
type Env struct {
	Stdout io.Writer
	Stderr io.Writer
	Stdin  io.Reader
	// Prompt reads a password from the terminal without echo, showing
	// prompt on stderr. It is nil when stdin is not a terminal.
	Prompt func(ctx context.Context, prompt string) (secret.String, error)

	// Interrupt, when set, returns the context commands run with: one
	// that ends on SIGINT or SIGTERM (main sets it). It is called when a
	// command is about to run, not at start: watching for signals costs
	// the process two threads, which msn --version, msn --help and the
	// completions do not need.
	Interrupt     func(context.Context) context.Context
	interruptOnce sync.Once

	opts globalOptions

	storeOnce sync.Once
	store     *keyring.Store
	storeErr  error

	warnMu sync.Mutex
	warned map[string]bool

	// dial, when set, replaces the network for every MSN connection
	// (tests).
	dial func(ctx context.Context, network, addr string) (net.Conn, error)

	// budgetOnce fixes deadline, the end of the command's --timeout
	// budget, on first use.
	budgetOnce sync.Once
	deadline   time.Time

	// recordOnce applies the recorded settings once, before the store
	// opens; recordedAccount is the account they were for.
	recordOnce      sync.Once
	recordedAccount string

	// command is the running command's full name ("status set"), for
	// the status of a shared session, and cli its parsed command line.
	command string
	cli     *cli.Context

	// account is the account storeAndAccount resolved; prompted is the
	// password promptFirst read before the budget started, and
	// promptErr why that prompt failed.
	account   string
	prompted  secret.String
	promptErr error
	// checked is the password checkPasswordSource read from a flag.
	checked checkedPassword
}

// globalOptions holds the global flags after parsing.
type globalOptions struct {
	Account      string
	Server       string
	Nexus        string
	LoginHosts   []string
	Protocol     proto.Protocol
	CAFile       string
	Keyring      keyring.Mode
	Timeout      time.Duration
	JSON         bool
	Quiet        bool
	Debug        bool
	AllowPrivate bool
	NoShare      bool
	// explicit names the recordable flags set on the command line or in
	// the environment, which win over what login recorded.
	explicit map[string]bool
}

// NewEnv returns an Env over the process's standard streams, with a
// password prompt when stdin is a terminal.
func NewEnv() *Env {
	return &Env{
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Stdin:  os.Stdin,
		Prompt: terminalPrompt(os.Stdin, os.Stderr),
	}
}

// Store opens the keyring store on first use with the --keyring mode
// (or the one login recorded for the account) and prints its warning
// once.
func (e *Env) Store() (*keyring.Store, error) {
	e.applyRecorded(e.opts.Account)
	e.storeOnce.Do(func() {
		warn := func(msg string) { e.Warnf("%s", msg) }
		e.store, e.storeErr = keyring.Open(keyring.Config{Mode: e.opts.Keyring, Warn: warn})
		if e.storeErr != nil {
			if !errors.Is(e.storeErr, keyring.ErrNoStateDir) {
				e.storeErr = fmt.Errorf("--keyring %s: %w", e.opts.Keyring, e.storeErr)
			}
			return
		}
		if w := e.store.Warning(); w != "" {
			e.Warnf("%s", w)
		}
	})
	return e.store, e.storeErr
}

// Warnf prints a diagnostic on stderr, once per distinct message, unless
// --quiet is set.
func (e *Env) Warnf(format string, args ...any) {
	if e.opts.Quiet {
		return
	}
	msg := oneLine(fmt.Sprintf(format, args...))
	e.warnMu.Lock()
	defer e.warnMu.Unlock()
	if e.warned == nil {
		e.warned = make(map[string]bool)
	}
	if e.warned[msg] {
		return
	}
	e.warned[msg] = true
	fmt.Fprintf(e.Stderr, "msn: %s\n", msg)
}

// Passport builds a Passport client from --nexus, --ca-file and
// --login-host.
func (e *Env) Passport() (*passport.Client, error) {
	pool, err := e.extraRoots()
	if err != nil {
		return nil, err
	}
	c := passport.New(e.opts.Nexus, pool)
	c.LoginHosts = append([]string(nil), e.opts.LoginHosts...)
	return c, nil
}

// extraRoots reads --ca-file, or returns nil when it is not set.
func (e *Env) extraRoots() (*x509.CertPool, error) {
	if e.opts.CAFile == "" {
		return nil, nil
	}
	pem, err := keyring.ReadFile(e.opts.CAFile, 1<<20)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, withCode(ExNoInput, fmt.Errorf("--ca-file: %w", err))
	}
	if err != nil {
		return nil, withCode(ExConfig, fmt.Errorf("--ca-file: %w", err))
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, configErrorf("--ca-file %s: no PEM certificate found", e.opts.CAFile)
	}
	return pool, nil
}

// protoOptions returns the engine options from the global flags.
func (e *Env) protoOptions() proto.Options {
	o := proto.Options{AllowPrivate: e.opts.AllowPrivate, Dial: e.dial}
	if e.opts.Debug {
		o.Debug = e.Stderr
	}
	return o
}

// printJSON writes v as one JSON object on one line of stdout.
func (e *Env) printJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode output: %w", err)
	}
	_, err = fmt.Fprintf(e.Stdout, "%s\n", b)
	return err
}
