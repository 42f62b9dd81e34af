package server_test

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"msn/proto/server"
)

// transcriptDir holds the transcripts recorded from a real server: the
// behaviour the local server must match.
const transcriptDir = "testdata/transcripts"

var (
	eventRE   = regexp.MustCompile(`^\[\+\s*[\d.]+\] \[([^\]]+)\] (C>|S<) ?(.*)$`)
	commentRE = regexp.MustCompile(`^\[\+\s*[\d.]+\] ## (.*)$`)
	payloadRE = regexp.MustCompile(`^   \| ?(.*)$`)
	varRE     = regexp.MustCompile(`[0-9a-f-]+`)
	uuidRE    = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	hexRE     = regexp.MustCompile(`^[0-9a-f]{15}$|^[0-9a-f]{20}$`)
	qRE       = regexp.MustCompile(`^Q(\d+):`)
)

// event is one client or server line of a transcript.
type event struct {
	conn, dir, text string
	payload         []string
	comment         bool
}

func parseTranscript(t *testing.T, name string) []*event {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(transcriptDir, name+"*"))
	if len(paths) != 1 {
		t.Fatalf("want one transcript %s* in %s, found %d", name, transcriptDir, len(paths))
	}
	data, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	var evs []*event
	for _, l := range strings.Split(string(data), "\n") {
		if m := eventRE.FindStringSubmatch(l); m != nil {
			evs = append(evs, &event{conn: m[1], dir: m[2], text: m[3]})
		} else if m := commentRE.FindStringSubmatch(l); m != nil {
			evs = append(evs, &event{comment: true, text: m[1]})
		} else if m := payloadRE.FindStringSubmatch(l); m != nil && len(evs) > 0 {
			evs[len(evs)-1].payload = append(evs[len(evs)-1].payload, m[1])
		}
	}
	return evs
}

// replayer plays a transcript's client side against a local server and
// checks the server side. Tickets, cookies, salts and session ids are bound
// from their first appearance in a server line.
type replayer struct {
	t     *testing.T
	w     *world
	conns map[string]*client
	binds map[string]string
	reset func(q int) bool // whether "## Qn:" starts over with a fresh server
	req   []string         // pending HTTPS request lines
	resp  *http.Response
	salt  map[string]string // conn → MD5 salt (actual)
	email map[string]string // conn → account of the I stage
}

var passwords = map[string]string{
	"alice@example.com": "alicepass", "bob@example.com": "bobpass", "carol@example.com": "carolpass", "dave@example.com": "davepass",
}

func newReplayer(t *testing.T) *replayer {
	r := &replayer{t: t, reset: func(int) bool { return false }}
	r.fresh()
	return r
}

func (r *replayer) fresh() {
	if r.w != nil {
		for _, c := range r.conns {
			c.nc.Close()
		}
		r.w.close()
	}
	r.w = newWorld(r.t, server.Config{})
	r.conns = map[string]*client{}
	r.binds = map[string]string{}
	r.salt = map[string]string{}
	r.email = map[string]string{}
}

// subst rewrites the transcript's addresses and bound values to this run's.
func (r *replayer) subst(s string) string {
	s = strings.ReplaceAll(s, "127.0.0.1:1863", r.w.srv.NSAddr())
	s = strings.ReplaceAll(s, "127.0.0.1:1864", r.w.srv.SBAddr())
	s = strings.ReplaceAll(s, "127.0.0.1:4443", strings.TrimSuffix(strings.TrimPrefix(r.w.srv.LoginURL(), "https://"), "/login"))
	for k, v := range r.binds {
		s = strings.ReplaceAll(s, k, v)
	}
	return s
}

// match compares a server line with the transcript's, binding variables.
func (r *replayer) match(want, got string) bool {
	want = r.subst(want)
	var pat strings.Builder
	var vars []string
	last := 0
	for _, loc := range varRE.FindAllStringIndex(want, -1) {
		v := want[loc[0]:loc[1]]
		if !uuidRE.MatchString(v) && !hexRE.MatchString(v) {
			continue
		}
		pat.WriteString(regexp.QuoteMeta(want[last:loc[0]]))
		if uuidRE.MatchString(v) {
			pat.WriteString(`([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})`)
		} else {
			pat.WriteString(fmt.Sprintf(`([0-9a-f]{%d})`, len(v)))
		}
		vars = append(vars, v)
		last = loc[1]
	}
	pat.WriteString(regexp.QuoteMeta(want[last:]))
	m := regexp.MustCompile("^" + pat.String() + "$").FindStringSubmatch(got)
	if m == nil {
		return false
	}
	for i, v := range vars {
		r.binds[v] = m[i+1]
	}
	return true
}

func (r *replayer) client(name string) *client {
	c := r.conns[name]
	if c == nil {
		addr := r.w.srv.NSAddr()
		if strings.Contains(name, "SB") {
			addr = r.w.srv.SBAddr()
		}
		c = r.w.dial(addr)
		r.conns[name] = c
	}
	return c
}

func payloadOf(e *event, n int) string {
	p := strings.Join(e.payload, "\r\n") + "\r\n"
	if len(p) < n {
		return p
	}
	return p[:n]
}

func (r *replayer) run(evs []*event) {
	t := r.t
	for i, e := range evs {
		where := fmt.Sprintf("event %d %q", i, e.text)
		if e.comment {
			r.comment(e.text)
			continue
		}
		switch {
		case e.conn == "https":
			r.https(e, where)
		case strings.HasPrefix(e.conn, "http:"):
			// the plain-HTTP nexus has no counterpart here
		case e.dir == "C>":
			r.clientLine(e)
		default:
			c := r.conns[e.conn]
			if c == nil {
				t.Fatalf("%s: no connection %s", where, e.conn)
			}
			got := c.line()
			if !r.match(e.text, got) {
				t.Fatalf("%s [%s]: got %q", where, e.conn, got)
			}
			f := strings.Fields(got)
			if f[0] == "MSG" {
				n, _ := strconv.Atoi(f[len(f)-1])
				if p := c.payload(n); p != payloadOf(e, n) {
					t.Fatalf("%s: payload %q, want %q", where, p, payloadOf(e, n))
				}
			}
			if len(f) == 5 && f[0] == "USR" && f[2] == "MD5" && f[3] == "S" {
				r.salt[e.conn] = f[4]
			}
		}
	}
	for _, c := range r.conns {
		c.quiet()
	}
}

func (r *replayer) comment(text string) {
	if m := qRE.FindStringSubmatch(text); m != nil {
		q, _ := strconv.Atoi(m[1])
		if r.reset(q) {
			r.fresh()
		}
		return
	}
	if strings.HasPrefix(text, "sleeping ") {
		secs, _ := strconv.Atoi(strings.Fields(text)[1])
		r.w.clock.Advance(time.Duration(secs) * time.Second)
		return
	}
	name, what, ok := strings.Cut(text, ": ")
	if !ok || name == "HTTPS" {
		return
	}
	switch {
	case strings.HasPrefix(what, "TCP connect"):
		if c := r.conns[name]; c != nil {
			c.nc.Close()
			delete(r.conns, name)
		}
		r.client(name)
	case strings.HasPrefix(what, "connection closed by the SERVER"):
		r.conns[name].expectClosed()
		delete(r.conns, name)
	case strings.HasPrefix(what, "connection closed by the probe"):
		r.conns[name].nc.Close()
		delete(r.conns, name)
	}
}

func (r *replayer) clientLine(e *event) {
	c := r.client(e.conn)
	text := e.text
	if rest, ok := strings.CutPrefix(text, "(one write:) "); ok {
		parts := strings.Split(rest, " | ")
		for i, p := range parts {
			if p == "CVR 2 ..." {
				parts[i] = "CVR 2 0x0409 win 4.10 i386 MSNMSGR 5.0.0544 MSMSGS alice@example.com"
			}
		}
		c.write(strings.Join(parts, "\r\n") + "\r\n")
		return
	}
	f := strings.Fields(text)
	if len(f) == 5 && f[0] == "USR" && f[2] == "MD5" {
		if f[3] == "I" {
			r.email[e.conn] = f[4]
		} else if f[4] != strings.Repeat("0", 32) {
			sum := md5.Sum([]byte(r.salt[e.conn] + passwords[r.email[e.conn]]))
			text = strings.Join(append(f[:4], hex.EncodeToString(sum[:])), " ")
		}
	}
	text = r.subst(text)
	if len(f) > 0 && f[0] == "MSG" {
		n, _ := strconv.Atoi(f[len(f)-1])
		c.write(text + "\r\n" + payloadOf(e, n))
		return
	}
	// A write may fail once the server has dropped the connection; the
	// following expectations decide.
	c.nc.SetWriteDeadline(time.Now().Add(stepTimeout))
	io.WriteString(c.nc, text+"\r\n")
}

// https collects request lines and checks response lines.
func (r *replayer) https(e *event, where string) {
	t := r.t
	if e.dir == "C>" {
		if r.resp != nil {
			r.resp = nil
		}
		r.req = append(r.req, r.subst(e.text))
		return
	}
	if r.resp == nil {
		method, rest, _ := strings.Cut(r.req[0], " ")
		path, _, _ := strings.Cut(rest, " ")
		base := strings.TrimSuffix(r.w.srv.LoginURL(), "/login")
		req, err := http.NewRequest(method, base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range r.req[1:] {
			k, v, _ := strings.Cut(h, ": ")
			req.Header.Set(k, v)
		}
		r.req = nil
		resp, err := r.w.http.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		resp.Body.Close()
		r.resp = resp
		if want := strings.TrimPrefix(e.text, "HTTP/1.1 "); resp.Status != want {
			t.Fatalf("%s: status %q", where, resp.Status)
		}
		return
	}
	k, v, _ := strings.Cut(e.text, ": ")
	if k == "Date" || k == "Server" {
		return
	}
	got := r.resp.Header.Get(k)
	if k == "Content-Length" {
		got = strconv.FormatInt(r.resp.ContentLength, 10)
	}
	if !r.match(v, got) {
		t.Fatalf("%s: header %s = %q", where, k, got)
	}
}

func TestTranscript01MSNP8Login(t *testing.T) {
	newReplayer(t).run(parseTranscript(t, "01_"))
}

func TestTranscript02MSNP7Login(t *testing.T) {
	newReplayer(t).run(parseTranscript(t, "02_"))
}

func TestTranscript03Switchboard(t *testing.T) {
	newReplayer(t).run(parseTranscript(t, "03_"))
}

func TestTranscript04MixedDialects(t *testing.T) {
	newReplayer(t).run(parseTranscript(t, "04_"))
}

func TestTranscript06Quirks(t *testing.T) {
	r := newReplayer(t)
	// Q17-Q20 continue the session of Q16; every other question starts over.
	r.reset = func(q int) bool { return q < 17 || q > 20 }
	r.run(parseTranscript(t, "06_"))
}

func TestTranscript07TicketExpiry(t *testing.T) {
	newReplayer(t).run(parseTranscript(t, "07_"))
}
