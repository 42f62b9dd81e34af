package msntest

import (
	"net"
	"sync"
	"time"
)

// ServeTCP listens on a loopback port and runs handle on its own
// goroutine for each connection, which is closed when handle returns and
// may live at most for limit. It returns the address and stop, which
// closes the listener and waits for every handler to return.
func ServeTCP(limit time.Duration, handle func(net.Conn)) (addr string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(limit))
				handle(c)
			}()
		}
	}()
	stop = func() {
		ln.Close()
		wg.Wait()
	}
	return ln.Addr().String(), stop, nil
}
