package passport

// MaxTicket bounds the length of a Passport ticket.
const MaxTicket = 4096

// ValidTicket reports whether t can be a Passport ticket: 1 to MaxTicket
// bytes of A-Z a-z 0-9 and ! * $ & = . _ ~ % -. Anything else (spaces,
// CR/LF, quotes, non-ASCII) could inject into the "USR n TWN S" line.
func ValidTicket(t string) bool {
	if t == "" || len(t) > MaxTicket {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if unreserved(c) {
			continue
		}
		switch c {
		case '!', '*', '$', '&', '=', '%':
		default:
			return false
		}
	}
	return true
}
