package switchboard

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/goleak"

	"msn/proto/msntest"
	"msn/proto/secret"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// nsAddr is where the scripted notification servers listen.
const nsAddr = "10.0.0.2:1864"

// script loads a golden transcript from testdata.
func script(t *testing.T, name string) *msntest.Script {
	t.Helper()
	s, err := msntest.Load(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// inline parses a transcript written in the test.
func inline(t *testing.T, text string) *msntest.Script {
	t.Helper()
	s, err := msntest.Parse(t.Name(), text)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkScripts fails the test for every script that did not run as
// written.
func checkScripts(t *testing.T, d *msntest.Dialer) {
	t.Helper()
	for _, err := range d.Wait() {
		t.Error(err)
	}
}

func password(pw string) func(context.Context) (secret.String, error) {
	return func(context.Context) (secret.String, error) { return secret.New(pw), nil }
}

// testContext bounds one step of a test against a scripted or local
// server: each completes in milliseconds, with room for a loaded machine.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}
