package keyring

import (
	"os"
	"runtime"
	"strconv"
	"strings"
)

// sessionBusPresent reports whether go-keyring can reach a D-Bus session
// bus without starting one. On Linux and the BSDs godbus falls back to
// running dbus-launch, which leaves daemons behind after the process
// exits; so the keyring is used only when DBUS_SESSION_BUS_ADDRESS names a
// bus (and not "autolaunch:") or /run/user/$UID/bus is a socket. Other
// systems do not use D-Bus.
func sessionBusPresent() bool {
	switch runtime.GOOS {
	case "linux", "freebsd", "netbsd", "openbsd", "dragonfly":
	default:
		return true
	}
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" {
		return !strings.Contains(a, "autolaunch:")
	}
	fi, err := os.Stat("/run/user/" + strconv.Itoa(os.Getuid()) + "/bus")
	return err == nil && fi.Mode()&os.ModeSocket != 0
}
