package inbox

import "strings"

// isReservedName reports whether name is a Windows device name, with or
// without an extension: CON, PRN, AUX, NUL, COM0–COM9, LPT0–LPT9, COM and LPT
// with a superscript ¹, ² or ³, CONIN$ and CONOUT$, in any case. As Windows
// does, it ignores everything from the first '.' or ':' and trailing spaces.
func isReservedName(name string) bool {
	base := name
	if i := strings.IndexAny(base, ".:"); i >= 0 {
		base = base[:i]
	}
	base = strings.TrimRight(base, " ")
	switch strings.ToUpper(base) {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(base) < 4 {
		return false
	}
	switch strings.ToUpper(base[:3]) {
	case "COM", "LPT":
		switch base[3:] {
		case "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
			return true
		}
	}
	return false
}
