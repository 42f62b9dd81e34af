package proto

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"msn/proto/msntest"
)

// TestSyncConnectionClosesMidStream has the server hang up in the middle
// of a long list, in each dialect: Sync fails as soon as the connection
// closes, with the connection's error, long before its deadline.
func TestSyncConnectionClosesMidStream(t *testing.T) {
	var p8, p7 strings.Builder
	p8.WriteString("C: SYN $1 0\nS: SYN $1 9 5000 1\nS: GTC A\nS: BLP AL\nS: LSG 0 Other%20Contacts 0\n")
	p7.WriteString("C: SYN $1 0\nC: PNG\nS: SYN $1 9\nS: LSG $1 9 1 1 0 Other%20Contacts 0\n")
	for i := range 815 {
		fmt.Fprintf(&p8, "S: LST c%04d@example.com c%04d 3 0\n", i, i)
		fmt.Fprintf(&p7, "S: LST $1 FL 9 %d 5000 c%04d@example.com c%04d 0\n", i+1, i, i)
	}
	for name, c := range map[string]struct {
		p    Protocol
		text string
	}{
		"msnp8": {MSNP8, p8.String() + "close\n"},
		"msnp7": {MSNP7, p7.String() + "close\n"},
	} {
		t.Run(name, func(t *testing.T) {
			ns, _, _ := scriptedNS(t, c.p, msntest.Inline(t, c.text))
			// A deadline far beyond the test's steps: Sync must not wait
			// for it.
			ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
			defer cancel()
			done := make(chan error, 1)
			go func() {
				_, err := ns.Sync(ctx, nil)
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("err = %v, want the connection's error", err)
				}
			case <-msntest.Context(t).Done():
				t.Fatal("Sync still waits after the connection closed")
			}
		})
	}
}
