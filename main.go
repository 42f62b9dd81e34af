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
	env := commands.NewEnv()
	stop := func() {}
	env.Interrupt = func(ctx context.Context) context.Context {
		ctx, stop = signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
		return ctx
	}
	err := commands.NewAppWithEnv(env).RunContext(context.Background(), os.Args)
	stop()
	os.Exit(env.Report(err))
}
