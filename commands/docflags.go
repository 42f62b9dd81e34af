package commands

import "github.com/urfave/cli/v2"

// PasswordFlags returns the flags that say where the password comes
// from, which every command that may sign in takes (msn notify all but
// --password-stdin). The man page describes them once.
func PasswordFlags() []cli.Flag { return passwordFlags() }
