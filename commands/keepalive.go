package commands

import "time"

// keepAliveInterval is how often the commands that stay online (listen,
// recvfile, status --watch) ping the server, so that a dead or silent
// connection is noticed. It is a variable so tests can shorten it.
var keepAliveInterval = 45 * time.Second
