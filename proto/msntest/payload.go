package msntest

import (
	"bytes"
	"fmt"
	"strings"
)

// matchPayload compares a payload the client sent with the script's. A
// script payload without "$" must match byte for byte; one with "$"
// variables is compared line by line and word by word, binding each
// variable on first use (a random invitation cookie, say) as match does.
func (p *player) matchPayload(got, want []byte) error {
	if !bytes.Contains(want, []byte("$")) {
		if !bytes.Equal(got, want) {
			return fmt.Errorf("bytes differ")
		}
		return nil
	}
	gotLines, wantLines := strings.Split(string(got), "\r\n"), strings.Split(string(want), "\r\n")
	if len(gotLines) != len(wantLines) {
		return fmt.Errorf("%d lines, want %d", len(gotLines), len(wantLines))
	}
	for i, w := range wantLines {
		gw, ww := strings.Split(gotLines[i], " "), strings.Split(w, " ")
		if len(gw) != len(ww) {
			return fmt.Errorf("line %d is %q, want %q", i+1, gotLines[i], w)
		}
		for j := range ww {
			if err := p.match(ww[j], gw[j]); err != nil {
				return fmt.Errorf("line %d: %v", i+1, err)
			}
		}
	}
	return nil
}

// substitute replaces the bound variables among a payload's words.
func (p *player) substitute(payload []byte) []byte {
	if !bytes.Contains(payload, []byte("$")) {
		return payload
	}
	lines := strings.Split(string(payload), "\r\n")
	for i, line := range lines {
		words := strings.Split(line, " ")
		for j, w := range words {
			if v, ok := p.vars[w]; ok {
				words[j] = v
			}
		}
		lines[i] = strings.Join(words, " ")
	}
	return []byte(strings.Join(lines, "\r\n"))
}
