package server

import "time"

// SetClock replaces the server's clock; call it before Start.
func SetClock(s *Server, now func() time.Time) { s.now = now }

// SetSignInTimeout replaces how long a connection may stay before signing
// in; call it before Start.
func SetSignInTimeout(s *Server, d time.Duration) { s.signInTimeout = d }
