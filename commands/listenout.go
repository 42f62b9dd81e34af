package commands

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"time"

	"msn/commands/shell"
)

// Bounds of listen --exec.
const (
	// execTimeout bounds one run of the --exec command.
	execTimeout = time.Minute
	// execWaitDelay bounds the wait for the command's output once it
	// exited or was killed (a background child may hold it open).
	execWaitDelay = 5 * time.Second
)

// incoming is one message as listen prints it.
type incoming struct {
	time        time.Time
	from, name  string
	conv        string
	contentType string
	text        string // for text/plain
	body        []byte // the raw body, for other content types
}

// isText reports whether the message is plain text.
func (in incoming) isText() bool { return in.contentType == "text/plain" }

// print writes one message on stdout: "FROM: TEXT" with control
// characters escaped, or one JSON object.
func (l *listener) print(in incoming) error {
	if l.env.opts.JSON {
		obj := map[string]any{
			"type": "message", "time": timestamp(in.time), "account": l.account,
			"from": in.from, "name": in.name, "conversation": in.conv, "content_type": in.contentType,
		}
		if in.isText() {
			obj["text"] = in.text
		} else if len(in.body) > 0 {
			obj["body_base64"] = base64.StdEncoding.EncodeToString(in.body)
		}
		return l.env.printJSON(obj)
	}
	shown := escapeDisplay(in.text)
	if !in.isText() {
		ct := in.contentType
		if ct == "" {
			ct = "none"
		}
		shown = "[content-type " + escapeDisplay(ct) + "]"
	}
	_, err := fmt.Fprintf(l.env.Stdout, "%s: %s\n", escapeDisplay(in.from), shown)
	return err
}

// printTyping writes one typing notification.
func (l *listener) printTyping(conv, from, name string) error {
	if l.env.opts.JSON {
		return l.env.printJSON(map[string]any{
			"type": "typing", "time": timestamp(time.Now()), "account": l.account, "from": from, "name": name, "conversation": conv,
		})
	}
	_, err := fmt.Fprintf(l.env.Stdout, "%s: [typing]\n", escapeDisplay(from))
	return err
}

// runExec runs the --exec command for one message with sh -c: the text
// (or the raw body of another content type) on its stdin, the sender in
// its environment, its output passed through. It is killed after
// execTimeout; a failure is reported and listening goes on.
func (l *listener) runExec(ctx context.Context, in incoming) {
	ctx, cancel := context.WithTimeout(ctx, execTimeout)
	defer cancel()
	input := in.body
	if in.isText() {
		input = []byte(in.text)
	}
	err := shell.Run(ctx, shell.Command{
		Line:   l.opts.Exec,
		Stdin:  bytes.NewReader(input),
		Stdout: l.env.Stdout, Stderr: l.env.Stderr,
		WaitDelay: execWaitDelay,
		Env: append(os.Environ(),
			"MSN_FROM="+escapeDisplay(in.from),
			"MSN_NAME="+escapeDisplay(in.name),
			"MSN_CONVERSATION="+escapeDisplay(in.conv),
			"MSN_CONTENT_TYPE="+escapeDisplay(in.contentType),
		),
	})
	var ee *exec.ExitError
	switch {
	case err == nil:
	case ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded):
		l.env.errorf("listen: --exec: killed after %s", execTimeout)
	case errors.As(err, &ee):
		l.env.errorf("listen: --exec: %v", ee)
	default:
		l.env.errorf("listen: --exec: %v", err)
	}
}
