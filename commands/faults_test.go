package commands

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"msn/commands/session"
	"msn/proto/msnftp"
	"msn/proto/msntest"
)

// The fault suite runs every command that talks to a server through a
// msntest.FaultProxy on each connection it makes (notification server,
// switchboard, MSNFTP), once per fault and direction, and checks the
// exit code, that the command ends in time (from the moment the fault
// hits), that it reports one line on
// stderr (with the hint Report may add under it), that no file is left under a final name, and, at the end,
// that no goroutine is left.
const (
	// faultTimeout is the --timeout of every row.
	faultTimeout = 2 * time.Second
	// faultMargin is how far past its bound a command may end: leaving
	// the server and closing connections after the failure, on a loaded
	// machine.
	faultMargin = 1500 * time.Millisecond
	// faultKeepAlive and faultKeepAliveWait replace keepAliveInterval and
	// keepAliveWait while the suite runs.
	faultKeepAlive     = time.Second
	faultKeepAliveWait = time.Second
	// faultOverrun is how long a row waits past its bound before it
	// interrupts a command that has not ended.
	faultOverrun = 3 * time.Second
	// faultFileSize is the size of the file sendfile and recvfile move.
	faultFileSize = 4096
	// faultConcurrency is how many rows run at once: they mostly wait.
	faultConcurrency = 12
)

// faultTransfer are the MSNFTP deadlines of the suite's transfers: a
// stall is noticed in 300 ms, a drip (under 1000 bytes a second) in a
// second.
var faultTransfer = msnftp.Options{Idle: 300 * time.Millisecond, Handshake: faultTimeout, MinRate: 1000, RateWindow: time.Second}

// faultPeerTransfer are the deadlines of the contact's end of a
// transfer: longer than the command's, so that the command is the one
// that notices a fault (the contact's end stops when the row does).
var faultPeerTransfer = msnftp.Options{Idle: 4 * faultTimeout, Handshake: 4 * faultTimeout, MinRate: -1}

// hop is a connection a command makes.
type hop string

// The connections that go through the proxy.
const (
	hopNS  hop = "ns"
	hopSB  hop = "sb"
	hopFTP hop = "msnftp"
)

// faultRow is one command run through one fault.
type faultRow struct {
	cmd   string // login, status, status-watch, send, send-i, listen, sendfile, recvfile
	hop   hop
	what  string // a name for a row with a trigger of its own
	rule  msntest.Rule
	want  []int         // the exit codes allowed
	bound time.Duration // the command ends within this (plus faultMargin) of the fault
}

// name names the row's subtest.
func (r faultRow) name() string {
	n := fmt.Sprintf("%s/%s/%s/%s", r.cmd, r.hop, r.rule.Fault, r.rule.Dir)
	if r.what != "" {
		n += "/" + r.what
	}
	return n
}

// faultPoint is where a command meets the faults on one connection: a
// line (or a byte) in each direction.
type faultPoint struct {
	hop      hop
	c2s, s2c msntest.Rule
}

// on triggers on the first line beginning with prefix.
func on(prefix string) msntest.Rule { return msntest.Rule{On: prefix} }

// faultPoints lists, for each command, the connections it makes and the
// line in each direction where the fault hits: in the middle of the
// sign-in on the notification server; the message, the join, the answer
// or the file invitation on the switchboard; the go-ahead and the data
// on MSNFTP.
var faultPoints = map[string][]faultPoint{
	"login":        {{hopNS, on("USR "), on("USR ")}},
	"status":       {{hopNS, on("USR "), on("USR ")}},
	"status-watch": {{hopNS, on("USR "), on("USR ")}},
	"send":         {{hopNS, on("USR "), on("USR ")}, {hopSB, on("MSG "), on("JOI ")}},
	"send-i":       {{hopNS, on("USR "), on("USR ")}, {hopSB, on("MSG "), on("JOI ")}},
	"listen":       {{hopNS, on("USR "), on("USR ")}, {hopSB, on("ANS "), on("MSG ")}},
	"sendfile": {{hopNS, on("USR "), on("USR ")}, {hopSB, on("MSG "), on("MSG ")},
		{hopFTP, on("TFR"), msntest.Rule{At: 1024}}},
	"recvfile": {{hopNS, on("USR "), on("USR ")}, {hopSB, on("MSG "), on("MSG ")},
		{hopFTP, on("TFR"), msntest.Rule{At: 1024}}},
}

// faultCommands is the order the rows run in.
var faultCommands = []string{"login", "status", "status-watch", "send", "send-i", "listen", "sendfile", "recvfile"}

// faultRows returns every row: each command, connection, fault and
// direction, and a notification server that goes silent under the
// commands that stay online.
func faultRows() []faultRow {
	var rows []faultRow
	for _, cmd := range faultCommands {
		for _, p := range faultPoints[cmd] {
			for _, f := range []msntest.Fault{msntest.Reset, msntest.Stall, msntest.Cut, msntest.Truncate, msntest.Drip} {
				for _, d := range []msntest.Direction{msntest.ClientToServer, msntest.ServerToClient} {
					rule := p.c2s
					if d == msntest.ServerToClient {
						rule = p.s2c
					}
					rule.Fault, rule.Dir = f, d
					rows = append(rows, faultRow{cmd: cmd, hop: p.hop, rule: rule, want: faultCodes(p.hop, f), bound: faultBound(cmd, p.hop)})
				}
			}
		}
	}
	// A notification server that stops answering once signed in: the
	// answer to the keep-alive ping never comes (status --watch's first
	// ping ends its presence burst, so its second is the keep-alive).
	silent := msntest.Rule{Fault: msntest.Stall, Dir: msntest.ServerToClient, On: "QNG"}
	for cmd, nth := range map[string]int{"listen": 1, "status-watch": 2} {
		rule := silent
		rule.Nth = nth
		rows = append(rows, faultRow{cmd: cmd, hop: hopNS, what: "silent", rule: rule, want: []int{ExTempFail},
			bound: faultKeepAlive + faultTimeout})
	}
	return rows
}

// faultCodes returns the exit codes allowed for fault f on connection
// h: the network breaking (a reset, a line cut in half, a truncation) is
// a temporary failure (75), and on a file transfer also a transfer that
// broke off (74); a stall is a timeout (75); a drip of 1 byte per 100 ms
// either gets through (0) or times out (75). Never a protocol error (76),
// never the contact's doing (69).
func faultCodes(h hop, f msntest.Fault) []int {
	switch {
	case f == msntest.Drip:
		return []int{ExOK, ExTempFail}
	case f == msntest.Stall:
		return []int{ExTempFail}
	case h == hopFTP:
		return []int{ExIOErr, ExTempFail}
	}
	return []int{ExTempFail}
}

// faultBound returns how long cmd may take when the fault hits h:
// --timeout, or for a conversation under listen its liveness bound
// (session.ConversationIdle, shortened to --timeout while the suite runs)
// plus a second.
func faultBound(cmd string, h hop) time.Duration {
	if cmd == "listen" && h == hopSB {
		return faultKeepAlive + faultTimeout
	}
	return faultTimeout
}

// TestFaults runs every fault row, several at once, each with a server
// of its own; goroutine leaks are checked once all are done.
func TestFaults(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Setenv("XDG_STATE_HOME", filepath.Join(t.TempDir(), "state"))
	t.Setenv("XDG_RUNTIME_DIR", "")
	savedInterval, savedWait, savedIdle := keepAliveInterval, keepAliveWait, session.ConversationIdle
	keepAliveInterval, keepAliveWait, session.ConversationIdle = faultKeepAlive, faultKeepAliveWait, faultTimeout
	defer func() {
		keepAliveInterval, keepAliveWait, session.ConversationIdle = savedInterval, savedWait, savedIdle
	}()
	start := time.Now()
	sem := make(chan struct{}, faultConcurrency)
	var wg sync.WaitGroup
	for _, row := range faultRows() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			t.Run(row.name(), row.run)
		}()
	}
	wg.Wait()
	t.Logf("%d rows in %v", len(faultRows()), time.Since(start).Round(time.Millisecond))
	goleak.VerifyNone(t, ignore)
}

// faultResult is how one command ended.
type faultResult struct {
	code   int
	took   time.Duration
	stderr []string // its lines, without the one saying what a staying-online command does
	stdout string
	// running is set when a listen was still running when the row
	// looked; it was interrupted afterwards.
	running bool
}

// run runs the row and checks its result.
func (row faultRow) run(t *testing.T) {
	f := newFaultRun(t, row)
	var res faultResult
	if row.cmd == "listen" && row.hop == hopSB {
		res = f.listenConversation()
	} else {
		res = f.command()
	}
	t.Logf("exit %d, %v after the fault; stderr %q", res.code, res.took.Round(10*time.Millisecond), res.stderr)
	if f.proxy.Fired() == 0 {
		t.Errorf("the fault never fired (%d connections through the proxy)", f.proxy.Accepted())
	}
	if res.took > row.bound+faultMargin {
		t.Errorf("ended %v after the fault, want at most %v + %v", res.took.Round(10*time.Millisecond), row.bound, faultMargin)
	}
	if row.cmd == "listen" && row.hop == hopSB {
		f.checkConversation(res)
		return
	}
	if !slices.Contains(row.want, res.code) {
		t.Errorf("exit %d, want one of %v", res.code, row.want)
	}
	switch {
	case res.code != ExOK && (len(res.stderr) != 1 || !strings.HasPrefix(res.stderr[0], "msn: ")):
		t.Errorf("stderr %q, want one line", res.stderr)
	case res.code == ExOK && len(res.stderr) != 0:
		t.Errorf("stderr %q after a success", res.stderr)
	}
	if row.cmd == "recvfile" {
		f.checkDir(res.code)
	}
}

// checkConversation checks a listen whose conversation broke: it goes
// on, and either printed the message (a drip that got through) or
// reported the conversation in one line.
func (f *faultRun) checkConversation(res faultResult) {
	t := f.t
	if !res.running {
		t.Errorf("listen ended (exit %d); it must go on when a conversation breaks", res.code)
	}
	got := strings.Contains(res.stdout, "alice@example.com: hello")
	switch {
	case got && len(res.stderr) == 0 && f.row.rule.Fault == msntest.Drip:
	case len(res.stderr) == 1 && strings.HasPrefix(res.stderr[0], "msn: "):
	default:
		t.Errorf("stdout %q, stderr %q: want the broken conversation reported in one line", res.stdout, res.stderr)
	}
}
