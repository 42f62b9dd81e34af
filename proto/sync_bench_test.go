package proto

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"runtime"
	"strings"
	"testing"
)

// BenchmarkSync5000 measures a full MSNP8 SYN of 5,000 contacts over
// net.Pipe, from the request to the parsed list, and reports time and
// allocations per contact.
func BenchmarkSync5000(b *testing.B) {
	const contacts = 5000
	var body strings.Builder
	body.WriteString("GTC A\r\nBLP AL\r\nPRP PHH 555%201234\r\nLSG 0 Other%20Contacts 0\r\nLSG 1 Friends 0\r\n")
	for i := 0; i < contacts; i++ {
		fmt.Fprintf(&body, "LST user%05d@example.com User%%20%d%%20%%E2%%98%%85 11 %d\r\n", i, i, i%2)
		if i%10 == 0 {
			body.WriteString("BPR PHM 555%200000\r\n")
		}
	}
	stream := body.String()

	client, server := net.Pipe()
	serverDone := make(chan struct{})
	go func() {
		defer close(serverDone)
		defer server.Close()
		br := bufio.NewReader(server)
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			var trid int
			if _, err := fmt.Sscanf(line, "SYN %d 0", &trid); err != nil {
				return
			}
			if _, err := fmt.Fprintf(server, "SYN %d 42 %d 2\r\n%s", trid, contacts, stream); err != nil {
				return
			}
		}
	}()
	ns := newNotification(client, MSNP8, Options{}, ReferralPolicy{})
	defer func() {
		ns.Close()
		<-serverDone
	}()
	ctx := context.Background()

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cl, err := ns.Sync(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(cl.ContactMap) != contacts {
			b.Fatalf("%d contacts", len(cl.ContactMap))
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	per := float64(b.N * contacts)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/per, "ns/contact")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/per, "allocs/contact")
}
