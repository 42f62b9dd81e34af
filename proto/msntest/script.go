package msntest

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Step is one line of a script.
type Step struct {
	Kind    string // "C", "S", "raw", "close", "eof", "sleep"
	Fields  []string
	Payload []byte
	Raw     []byte
	Sleep   time.Duration
	HasBody bool
	LineNo  int
}

// Script is a parsed golden transcript.
type Script struct {
	Name  string
	Steps []Step
}

// Load reads a script file.
func Load(path string) (*Script, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, string(b))
}

// Parse reads a script from text.
func Parse(name, text string) (*Script, error) {
	s := &Script{Name: name}
	var payload []string
	flush := func() {
		if len(s.Steps) > 0 && payload != nil {
			last := &s.Steps[len(s.Steps)-1]
			last.Payload = []byte(strings.Join(payload, "\r\n"))
			last.HasBody = true
		}
		payload = nil
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "|+"):
			payload = append(payload, strings.TrimPrefix(strings.TrimPrefix(trimmed, "|+"), " ")+"\r\n")
			continue
		case strings.HasPrefix(trimmed, "|"):
			payload = append(payload, strings.TrimPrefix(strings.TrimPrefix(trimmed, "|"), " "))
			continue
		}
		flush()
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
		case strings.HasPrefix(trimmed, "S: raw "):
			raw, err := strconv.Unquote(strings.TrimPrefix(trimmed, "S: raw "))
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", name, n, err)
			}
			s.Steps = append(s.Steps, Step{Kind: "raw", Raw: []byte(raw), LineNo: n})
		case trimmed == "C: EOF":
			s.Steps = append(s.Steps, Step{Kind: "eof", LineNo: n})
		case strings.HasPrefix(trimmed, "C: "), strings.HasPrefix(trimmed, "S: "):
			s.Steps = append(s.Steps, Step{Kind: trimmed[:1], Fields: strings.Split(trimmed[3:], " "), LineNo: n})
		case trimmed == "close":
			s.Steps = append(s.Steps, Step{Kind: "close", LineNo: n})
		case strings.HasPrefix(trimmed, "sleep "):
			d, err := time.ParseDuration(strings.TrimPrefix(trimmed, "sleep "))
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", name, n, err)
			}
			s.Steps = append(s.Steps, Step{Kind: "sleep", Sleep: d, LineNo: n})
		default:
			return nil, fmt.Errorf("%s:%d: cannot parse %q", name, n, line)
		}
	}
	flush()
	return s, sc.Err()
}
