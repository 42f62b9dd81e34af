package commands

import "time"

// keepAliveInterval is how often the commands that stay online (listen,
// recvfile, status --watch) ping the server, and keepAliveWait how long
// each ping waits for its answer: a silent server is noticed within
// their sum, 60 s, and ends the command with 75. They are variables so
// tests can shorten them.
var (
	keepAliveInterval = 45 * time.Second
	keepAliveWait     = 15 * time.Second
)
