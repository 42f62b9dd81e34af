package msntest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"msn/proto/secret"
)

// testStepTimeout bounds one step of a test against a scripted or local
// server: each completes in milliseconds, with room for a loaded machine.
const testStepTimeout = 5 * time.Second

// TestdataScript loads the golden transcript testdata/name of the test's
// package, failing the test when it cannot.
func TestdataScript(t testing.TB, name string) *Script {
	t.Helper()
	s, err := Load(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Inline parses a transcript written in the test, named for the test,
// failing the test when it is malformed.
func Inline(t testing.TB, text string) *Script {
	t.Helper()
	s, err := Parse(t.Name(), text)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Check waits for the scripts of d and fails the test for every one
// that did not run as written.
func (d *Dialer) Check(t testing.TB) {
	t.Helper()
	for _, err := range d.Wait() {
		t.Error(err)
	}
}

// Context returns a context that bounds one step of a test and ends with
// the test.
func Context(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), testStepTimeout)
	t.Cleanup(cancel)
	return ctx
}

// Password returns a password source that always gives pw.
func Password(pw string) func(context.Context) (secret.String, error) {
	return func(context.Context) (secret.String, error) { return secret.New(pw), nil }
}
