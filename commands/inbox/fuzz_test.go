package inbox

import "testing"

func FuzzSafeName(f *testing.F) {
	for _, s := range hostileNames {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, offered string) {
		checkSafe(t, offered, SafeName(offered))
	})
}
