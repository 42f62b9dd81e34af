package switchboard

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// nsAddr is where the scripted notification servers listen.
const nsAddr = "10.0.0.2:1864"
