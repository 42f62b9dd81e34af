package engine

// Protocol is a protocol version: it decides which server lines carry a
// TrID.
type Protocol string

// The supported protocol versions.
const (
	MSNP8 Protocol = "MSNP8"
	MSNP7 Protocol = "MSNP7"
)

// trIDRule says whether a server line of a given verb carries a TrID.
type trIDRule int

const (
	trIDNever     trIDRule = iota
	trIDAlways             // the first field is always a TrID
	trIDIfNumeric          // the first field is a TrID when it is numeric (MSNP8 list lines outside SYN)
	trIDMSNP7              // a TrID on MSNP7, none on MSNP8 (SYN stream lines)
)

// serverVerbs is the per-verb table of server lines. A line's TrID is
// decided here, never by looking at whether a field happens to be a
// number: RNG's first field is a session id, and MSNP8's LSG starts with a
// group id.
var serverVerbs = map[string]trIDRule{
	"VER": trIDAlways, "CVR": trIDAlways, "INF": trIDAlways, "USR": trIDAlways,
	"XFR": trIDAlways, "SYN": trIDAlways, "CHG": trIDAlways, "ILN": trIDAlways,
	"ADD": trIDAlways, "REM": trIDAlways, "ADG": trIDAlways, "RMG": trIDAlways,
	"REG": trIDAlways, "REA": trIDAlways, "QRY": trIDAlways, "CHL": trIDAlways,
	"URL": trIDAlways, "SND": trIDAlways, "CAL": trIDAlways, "ANS": trIDAlways,
	"IRO": trIDAlways, "ACK": trIDAlways, "NAK": trIDAlways,
	"GTC": trIDIfNumeric, "BLP": trIDIfNumeric, "PRP": trIDIfNumeric,
	"LSG": trIDMSNP7, "LST": trIDMSNP7,
	"BPR": trIDNever, "NLN": trIDNever, "FLN": trIDNever, "RNG": trIDNever,
	"OUT": trIDNever, "QNG": trIDNever, "JOI": trIDNever, "BYE": trIDNever,
	"MSG": trIDNever, "NOT": trIDNever, "IPG": trIDNever,
}

// serverPayloadVerbs maps a server payload verb to the index of its length
// field among all fields after the verb.
var serverPayloadVerbs = map[string]int{
	"MSG": 2, // MSG <handle> <name> <len>
	"NOT": 0, // NOT <len>
	"IPG": 0, // IPG <len>
}

// clientPayloadVerbs are the client commands followed by a payload.
var clientPayloadVerbs = map[string]bool{"MSG": true, "QRY": true}

// hasTrID applies the verb table to the fields after the verb.
func hasTrID(verb string, fields []string, dialect Protocol) bool {
	if IsErrorCode(verb) {
		return true
	}
	switch serverVerbs[verb] {
	case trIDAlways:
		return true
	case trIDIfNumeric:
		return len(fields) > 0 && IsDigits(fields[0])
	case trIDMSNP7:
		return dialect == MSNP7
	}
	return false
}
