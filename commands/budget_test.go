package commands

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"msn/keyring"
	"msn/proto"
)

// stallingServer is an MSNP7 notification server over net.Pipe that
// answers each login step after loginDelay and never answers the
// request for a switchboard: a later phase that stalls.
type stallingServer struct {
	loginDelay time.Duration
	wg         sync.WaitGroup
}

// dial serves one client connection on a goroutine of its own, which
// ends when the client closes the connection.
func (s *stallingServer) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	client, server := net.Pipe()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer server.Close()
		s.serve(server)
	}()
	return client, nil
}

// serve answers the client's lines in the order they come.
func (s *stallingServer) serve(conn net.Conn) {
	br := bufio.NewReader(conn)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		var reply string
		switch verb, tr := f[0], f[1]; {
		case verb == "VER":
			reply = "VER " + tr + " MSNP7"
		case verb == "CVR":
			reply = "CVR " + tr + " 4.7.2009 4.7.2009 4.7.2009 https://example.com https://example.com"
		case verb == "USR" && len(f) > 3 && f[3] == "I":
			time.Sleep(s.loginDelay)
			reply = "USR " + tr + " MD5 S 1013928519.29711"
		case verb == "USR":
			time.Sleep(s.loginDelay)
			reply = "USR " + tr + " OK alice@example.com Alice"
		case verb == "SYN":
			reply = "SYN " + tr + " 0"
		case verb == "PNG":
			reply = "QNG 50"
		case verb == "CHG":
			reply = "CHG " + tr + " " + f[2] + " 0"
		case verb == "OUT":
			return
		default: // the switchboard request: never answered
			continue
		}
		if _, err := fmt.Fprintf(conn, "%s\r\n", reply); err != nil {
			return
		}
	}
}

// msn send --timeout T ends when T has passed since it started, however
// the time was spent: a login that takes most of the budget leaves only
// the rest for the switchboard, instead of each phase taking T again.
func TestSendKeepsOneTimeoutBudget(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("XDG_RUNTIME_DIR", "")
	pwFile := filepath.Join(dir, "alice.pw")
	if err := os.WriteFile(pwFile, []byte("not-a-real-password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const budget = 10 * time.Second
	synctest.Test(t, func(t *testing.T) {
		srv := &stallingServer{loginDelay: 3 * budget / 10}
		env := &Env{Stdout: &strings.Builder{}, Stderr: &strings.Builder{}, Stdin: strings.NewReader(""), dial: srv.dial}
		env.opts = globalOptions{
			Account: "alice@example.com", Server: "ns.example.com:1863", Protocol: proto.MSNP7,
			Keyring: keyring.ModeNone, Timeout: budget,
		}
		start := time.Now()
		err := runSend(context.Background(), env, sendOptions{
			Recipients: []string{"bob@example.com"}, Text: "hello", HasText: true, Window: sendWindow,
			Session: sessionOptions{Password: passwordSources{File: pwFile}},
		})
		took := time.Since(start)
		srv.wg.Wait()
		if ExitCode(err) != ExTempFail {
			t.Fatalf("err = %v (exit %d), want a timeout (exit %d)", err, ExitCode(err), ExTempFail)
		}
		if took < 2*srv.loginDelay {
			t.Fatalf("send ended after %s, before the login could have finished", took)
		}
		if took > budget {
			t.Fatalf("send ended after %s, past its --timeout %s", took, budget)
		}
	})
}
