// Command msn is MSN Messenger from the command line: short Unix-style
// subcommands over MSNP8 and MSNP7, made for scripts, cron jobs and people
// sending one file.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"msn/commands"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := commands.NewEnv()
	err := commands.NewAppWithEnv(env).RunContext(ctx, os.Args)
	stop()
	os.Exit(env.Report(err))
}
