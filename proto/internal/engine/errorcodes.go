package engine

// errorText is the meaning of each MSNP7/MSNP8 error code.
var errorText = map[int]string{
	200: "syntax error", 201: "invalid parameter", 205: "invalid user",
	206: "domain name missing", 207: "already logged in or invalid user",
	208: "invalid user name", 209: "invalid friendly name", 210: "list full",
	213: "invalid rename request", 215: "already on list", 216: "not on list",
	217: "user not online", 218: "already in that mode", 219: "user is on the opposite list",
	223: "too many groups", 224: "invalid group", 225: "user not in that group",
	227: "group not empty", 228: "group name already exists", 229: "group name too long",
	230: "cannot remove group 0", 231: "invalid group", 240: "empty domain",
	280: "switchboard failed", 281: "transfer to switchboard failed", 282: "data message error",
	300: "required field missing", 301: "too many hits to a search", 302: "not logged in",
	402: "error accessing contact list", 403: "error accessing contact list",
	420: "invalid account permissions",
	500: "internal server error", 501: "database server error", 502: "command disabled",
	510: "file operation failed", 511: "banned", 520: "memory allocation failed",
	540: "challenge response failed",
	600: "server is busy", 601: "server is unavailable", 602: "peer notification server down",
	603: "database connection failed", 604: "server is going down", 605: "server unavailable",
	700: "could not create connection", 707: "could not create connection",
	710: "invalid CVR parameters", 711: "write is blocking", 712: "session is overloaded",
	713: "calling too rapidly", 714: "too many sessions", 715: "not expected",
	717: "bad friend file", 731: "not expected",
	800: "changing too rapidly",
	910: "server too busy", 911: "authentication failed", 912: "server too busy",
	913: "not allowed when offline", 914: "server unavailable", 915: "server unavailable",
	916: "server unavailable", 917: "authentication failed", 918: "server too busy",
	919: "server too busy", 920: "not accepting new users", 921: "server too busy",
	922: "server too busy", 923: "kids passport without parental consent",
	924: "passport account not yet verified", 927: "passport account suspended",
	928: "bad ticket", 931: "account not on this server",
}

// codeClass maps an error code to the sentinel it matches, or nil.
func codeClass(code int) error {
	switch code {
	case 911, 917, 923, 924, 927, 928:
		return ErrAuthFailed
	case 205, 207, 208, 931:
		return ErrUnknownUser
	case 217:
		return ErrOffline
	case 913:
		return ErrNotAllowed
	case 215, 216, 218, 219, 224, 225, 227, 228, 230, 231:
		return ErrListState
	case 210, 223:
		return ErrListFull
	case 201, 206, 209, 213, 229, 240, 715:
		return ErrInvalidArgument
	case 500, 501, 510, 520, 600, 601, 602, 603, 604, 605, 700, 707, 711, 712, 713, 714,
		800, 910, 912, 914, 915, 916, 918, 919, 920, 921, 922:
		return ErrServerBusy
	}
	return nil
}
