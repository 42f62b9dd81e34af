package commands

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// Exit statuses of a command that did not run, as a shell gives them.
const (
	exitNotFound      = 127
	exitNotExecutable = 126
)

// notifyWaitDelay bounds the wait for the command's output once it has
// exited: a background child that keeps the output open does not hold
// msn notify up.
const notifyWaitDelay = 2 * time.Second

// forwardedSignals are passed on to the command while it runs, so that
// msn notify outlives it and reports how it ended.
var forwardedSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// runOutcome is how the command ended.
type runOutcome struct {
	// Status is the exit status as a shell gives it: 128+N after
	// signal N, 127 when the command was not found, 126 when it could
	// not be run.
	Status int
	// Signal is the signal that ended the command, or 0.
	Signal syscall.Signal
	// StartErr says why the command could not be started, or is nil.
	StartErr error
	Duration time.Duration
}

// failed reports whether the command did not succeed.
func (o runOutcome) failed() bool { return o.Status != 0 }

// describe says how the command ended, in words; why it could not be
// run is in startProblem.
func (o runOutcome) describe() string {
	switch {
	case o.StartErr != nil && o.Status == exitNotFound:
		return fmt.Sprintf("not found, exit status %d", o.Status)
	case o.StartErr != nil:
		return fmt.Sprintf("cannot run, exit status %d", o.Status)
	case o.Signal != 0:
		return fmt.Sprintf("killed by %s, exit status %d", signalName(o.Signal), o.Status)
	}
	return fmt.Sprintf("exit status %d", o.Status)
}

// startProblem says why the command could not be run, on one line, or
// "".
func (o runOutcome) startProblem() string {
	if o.StartErr == nil {
		return ""
	}
	return cutBytes(escapeDisplay(oneLine(o.StartErr.Error())), 256)
}

// runSpec is the command msn notify runs and what it is connected to.
type runSpec struct {
	Argv  []string
	Stdin io.Reader
	// Stdout and Stderr receive the command's output as it comes; nil
	// drops it. Both are also written to Tail.
	Stdout, Stderr io.Writer
	Tail           *tail
	// Signals are forwarded to the command while it runs.
	Signals <-chan os.Signal
}

// runCommand runs the command directly, without a shell, and returns
// how it ended. It returns once the command has exited and its output
// has been read, or notifyWaitDelay after it exited.
func runCommand(spec runSpec) runOutcome {
	start := time.Now()
	cmd := exec.Command(spec.Argv[0], spec.Argv[1:]...)
	cmd.Stdin = spec.Stdin
	cmd.Stdout = passThrough{out: spec.Stdout, tail: spec.Tail}
	cmd.Stderr = passThrough{out: spec.Stderr, tail: spec.Tail}
	cmd.WaitDelay = notifyWaitDelay
	if err := cmd.Start(); err != nil {
		status := exitNotExecutable
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) || errors.Is(err, exec.ErrDot) {
			status = exitNotFound
		}
		return runOutcome{Status: status, StartErr: err, Duration: time.Since(start)}
	}
	done := make(chan struct{})
	forwarded := make(chan struct{})
	go func() {
		defer close(forwarded)
		forwardSignals(cmd.Process, spec.Signals, done)
	}()
	_ = cmd.Wait() // the outcome is in ProcessState
	close(done)
	<-forwarded
	return outcomeOf(cmd.ProcessState, time.Since(start))
}

// outcomeOf reads the exit status, or the signal, from a process that
// ended.
func outcomeOf(ps *os.ProcessState, d time.Duration) runOutcome {
	if ps == nil {
		return runOutcome{Status: ExFailure, Duration: d}
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return runOutcome{Status: 128 + int(ws.Signal()), Signal: ws.Signal(), Duration: d}
	}
	return runOutcome{Status: ps.ExitCode(), Duration: d}
}

// forwardSignals passes each signal on to p until done is closed, then
// drops the signals already queued: a Ctrl-C on a terminal reaches the
// command and msn at once, and the copy msn got while the command died
// of it must not also stop the message that says so.
func forwardSignals(p *os.Process, sigs <-chan os.Signal, done <-chan struct{}) {
	for {
		select {
		case <-done:
			drainSignals(sigs)
			return
		default:
		}
		select {
		case <-done:
			drainSignals(sigs)
			return
		case s := <-sigs:
			_ = p.Signal(s) // it may have exited already
		}
	}
}

// drainSignals drops the signals queued in sigs.
func drainSignals(sigs <-chan os.Signal) {
	for {
		select {
		case <-sigs:
		default:
			return
		}
	}
}

// passThrough writes the command's output to out, when set, and to the
// tail. A failing out does not stop the command: the tail still gets
// everything, for the message.
type passThrough struct {
	out  io.Writer
	tail *tail
}

// Write writes p to out and the tail.
func (w passThrough) Write(p []byte) (int, error) {
	if w.out != nil {
		_, _ = w.out.Write(p)
	}
	return w.tail.Write(p)
}

// signalNames names the common signals the way kill -l does.
var signalNames = map[syscall.Signal]string{
	syscall.SIGHUP: "SIGHUP", syscall.SIGINT: "SIGINT", syscall.SIGQUIT: "SIGQUIT",
	syscall.SIGILL: "SIGILL", syscall.SIGTRAP: "SIGTRAP", syscall.SIGABRT: "SIGABRT",
	syscall.SIGBUS: "SIGBUS", syscall.SIGFPE: "SIGFPE", syscall.SIGKILL: "SIGKILL",
	syscall.SIGSEGV: "SIGSEGV", syscall.SIGPIPE: "SIGPIPE", syscall.SIGALRM: "SIGALRM",
	syscall.SIGTERM: "SIGTERM",
}

// signalName returns the name of s, such as SIGTERM, or "signal N".
func signalName(s syscall.Signal) string {
	if n, ok := signalNames[s]; ok {
		return n
	}
	return "signal " + strconv.Itoa(int(s))
}
