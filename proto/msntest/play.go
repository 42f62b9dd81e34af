package msntest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// stepTimeout bounds the wait for each line the client must send and for
// each write to it. Over net.Pipe a step takes microseconds; a client that
// stalls fails its script within the bound instead of passing slowly.
const stepTimeout = 2 * time.Second

// Play runs the script on conn, the server side of a connection, and
// closes conn when done. It returns the first difference between what the
// client sent and what the script expects.
func Play(conn net.Conn, s *Script) error {
	defer conn.Close()
	p := &player{conn: conn, br: bufio.NewReaderSize(conn, 64<<10), vars: map[string]string{}, name: s.Name}
	for _, st := range s.Steps {
		if err := p.step(st); err != nil {
			return fmt.Errorf("%s:%d: %w", s.Name, st.LineNo, err)
		}
	}
	return nil
}

type player struct {
	conn net.Conn
	br   *bufio.Reader
	vars map[string]string
	name string
}

func (p *player) step(st Step) error {
	switch st.Kind {
	case "S":
		return p.write(p.render(st))
	case "raw":
		return p.write(st.Raw)
	case "C":
		return p.expect(st)
	case "eof":
		_ = p.conn.SetReadDeadline(time.Now().Add(stepTimeout))
		line, err := p.br.ReadString('\n')
		if err == nil {
			return fmt.Errorf("want the client to close, got %q", line)
		}
		return nil
	case "close":
		return p.conn.Close()
	case "sleep":
		time.Sleep(st.Sleep)
	}
	return nil
}

func (p *player) write(b []byte) error {
	_ = p.conn.SetWriteDeadline(time.Now().Add(stepTimeout))
	_, err := p.conn.Write(b)
	return err
}

// render substitutes bound values, in the line and in the payload, and
// the payload length.
func (p *player) render(st Step) []byte {
	payload := p.substitute(st.Payload)
	fields := make([]string, len(st.Fields))
	for i, f := range st.Fields {
		if v, ok := p.vars[f]; ok {
			f = v
		}
		if f == "*" && i == len(st.Fields)-1 && st.HasBody {
			f = strconv.Itoa(len(payload))
		}
		fields[i] = f
	}
	out := []byte(strings.Join(fields, " ") + "\r\n")
	return append(out, payload...)
}

// expect reads one client command and matches it against the step.
func (p *player) expect(st Step) error {
	_ = p.conn.SetReadDeadline(time.Now().Add(stepTimeout))
	line, err := p.br.ReadString('\n')
	if err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("client closed; want %q", strings.Join(st.Fields, " "))
		}
		return fmt.Errorf("reading client line (want %q): %w", strings.Join(st.Fields, " "), err)
	}
	if !strings.HasSuffix(line, "\r\n") {
		return fmt.Errorf("client line %q does not end in CRLF", line)
	}
	got := strings.Split(strings.TrimSuffix(line, "\r\n"), " ")
	if len(got) != len(st.Fields) {
		return fmt.Errorf("client sent %q, want %q", strings.TrimSpace(line), strings.Join(st.Fields, " "))
	}
	for i, want := range st.Fields {
		if err := p.match(want, got[i]); err != nil {
			return fmt.Errorf("client sent %q, want %q: %v", strings.TrimSpace(line), strings.Join(st.Fields, " "), err)
		}
	}
	if !st.HasBody {
		return nil
	}
	n, err := strconv.Atoi(got[len(got)-1])
	if err != nil || n > 1<<20 {
		return fmt.Errorf("bad payload length in %q", line)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(p.br, body); err != nil {
		return fmt.Errorf("reading payload: %w", err)
	}
	if err := p.matchPayload(body, st.Payload); err != nil {
		return fmt.Errorf("payload differs: %v\n got: %q\nwant: %q", err, body, st.Payload)
	}
	return nil
}

// match compares one field, binding $N variables on first use.
func (p *player) match(want, got string) error {
	switch {
	case want == "*":
		return nil
	case strings.HasPrefix(want, "$") && len(want) > 1:
		if v, ok := p.vars[want]; ok {
			if v != got {
				return fmt.Errorf("%s is %q, got %q", want, v, got)
			}
			return nil
		}
		p.vars[want] = got
		return nil
	case want != got:
		return fmt.Errorf("field %q, want %q", got, want)
	}
	return nil
}
