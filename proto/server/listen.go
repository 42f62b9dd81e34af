package server

import (
	"net"
)

// serveListener runs the accept loop of ln in a goroutine owned by s.
// The caller holds s.mu.
func (s *Server) serveListener(ln net.Listener, r role) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			nc = s.stats.countConn(nc, kindOf(r))
			c := s.newConn(nc, r)
			s.mu.Lock()
			if s.closed {
				s.mu.Unlock()
				nc.Close()
				continue
			}
			s.conns[c] = struct{}{}
			s.wg.Add(2)
			s.mu.Unlock()
			go c.writeLoop()
			go c.serve()
		}
	}()
}
