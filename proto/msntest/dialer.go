package msntest

import (
	"context"
	"fmt"
	"net"
	"sync"
)

// Dialer hands out in-memory connections, one script per address, for a
// client's Options.Dial. Wait returns the scripts' outcomes.
type Dialer struct {
	mu      sync.Mutex
	scripts map[string][]*Script
	wg      sync.WaitGroup
	errs    []error
}

// NewDialer returns a Dialer with no scripts.
func NewDialer() *Dialer { return &Dialer{scripts: map[string][]*Script{}} }

// Add makes the next dial of addr play s.
func (d *Dialer) Add(addr string, s *Script) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.scripts[addr] = append(d.scripts[addr], s)
}

// Dial plays the next script queued for addr over net.Pipe; an address
// with no script left is refused.
func (d *Dialer) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d.mu.Lock()
	queue := d.scripts[addr]
	if len(queue) == 0 {
		d.mu.Unlock()
		return nil, &net.OpError{Op: "dial", Net: network, Err: fmt.Errorf("no script for %s", addr)}
	}
	s := queue[0]
	d.scripts[addr] = queue[1:]
	d.wg.Add(1)
	d.mu.Unlock()
	client, server := net.Pipe()
	go func() {
		defer d.wg.Done()
		if err := Play(server, s); err != nil {
			d.mu.Lock()
			d.errs = append(d.errs, err)
			d.mu.Unlock()
		}
	}()
	return client, nil
}

// Wait waits for every script started so far and returns their errors,
// plus one for each script that was never dialled.
func (d *Dialer) Wait() []error {
	d.wg.Wait()
	d.mu.Lock()
	defer d.mu.Unlock()
	errs := d.errs
	for addr, q := range d.scripts {
		for _, s := range q {
			errs = append(errs, fmt.Errorf("%s: script for %s never dialled", s.Name, addr))
		}
	}
	return errs
}
