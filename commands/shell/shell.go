// Package shell runs a command line the user gave (--password-command,
// listen --exec) with sh -c. It is the one place that starts a shell.
package shell

import (
	"context"
	"io"
	"os/exec"
	"time"
)

// Command is one command line to run and what it is connected to.
type Command struct {
	// Line is passed to sh -c as it is.
	Line string
	// Stdin, Stdout and Stderr are the command's streams; nil means
	// the null device.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Env is the command's environment; nil means the process's own.
	Env []string
	// WaitDelay bounds the wait for the command's output once it has
	// exited or was killed (a background child may hold it open).
	WaitDelay time.Duration
}

// Run runs c under ctx, which kills it when it ends, and returns when
// the command and the copying of its output have ended, or WaitDelay
// after the command was killed or exited, whichever is sooner.
func Run(ctx context.Context, c Command) error {
	cmd := exec.CommandContext(ctx, "sh", "-c", c.Line)
	cmd.Stdin = c.Stdin
	// Through pipes, never the files themselves, so that WaitDelay can
	// stop waiting for a child that keeps an output open.
	if c.Stdout != nil {
		cmd.Stdout = struct{ io.Writer }{c.Stdout}
	}
	if c.Stderr != nil {
		cmd.Stderr = struct{ io.Writer }{c.Stderr}
	}
	cmd.Env = c.Env
	cmd.WaitDelay = c.WaitDelay
	return cmd.Run()
}
