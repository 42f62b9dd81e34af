package keyring

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// testServer is the server the tests' accounts are saved for.
const testServer = "ns.example.com:1863"
