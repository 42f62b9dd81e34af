package commands

import (
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
)

// envVarsOf returns the environment variables of flag f.
func envVarsOf(f cli.Flag) []string {
	if ev, ok := f.(interface{ GetEnvVars() []string }); ok {
		return ev.GetEnvVars()
	}
	return nil
}

// lookupEnv returns the value of the environment variable v, and false
// when it is unset or blank, which counts as unset.
func lookupEnv(v string) (string, bool) {
	val := strings.TrimSpace(os.Getenv(v))
	return val, val != ""
}

// parses reports whether val is a value flag f accepts from the
// environment.
func parses(f cli.Flag, val string) bool {
	var err error
	switch f.(type) {
	case *cli.BoolFlag:
		_, err = strconv.ParseBool(val)
	case *cli.DurationFlag:
		_, err = time.ParseDuration(val)
	}
	return err == nil
}
