package server

import "time"

// SetClock replaces the server's clock; call it before Start.
func SetClock(s *Server, now func() time.Time) { s.now = now }
