package server

import "strings"

// cvrURL is the download and information URL in CVR replies, as the revival
// server sends them.
const cvrURL = "https://escargot.log1p.xyz"

// allVersions is the list a VER reply offers when nothing matched.
const allVersions = "MSNP21 MSNP20 MSNP19 MSNP18 MSNP17 MSNP16 MSNP15 MSNP14 MSNP13 MSNP12 MSNP11 MSNP10 MSNP9 MSNP8 MSNP7 MSNP6 MSNP5 MSNP4 MSNP3 MSNP2"

// negotiate answers "VER trid v1 v2 ...": it picks MSNP8 over MSNP7 and
// returns the reply and the chosen dialect (0 when none).
func negotiate(trid string, offered []string) (string, int) {
	has := map[string]bool{}
	for _, v := range offered {
		has[v] = true
	}
	switch {
	case has["MSNP8"]:
		return "VER " + trid + " MSNP8", 8
	case has["MSNP7"]:
		return "VER " + trid + " MSNP7", 7
	}
	return "VER " + trid + " 0 " + allVersions, 0
}

// cvrReply answers "CVR trid lcid os osver cpu name ver id [handle]" by
// recommending the client's own version, or 731 when malformed.
func cvrReply(trid string, args []string) string {
	if len(args) < 6 {
		return "731 " + trid
	}
	v := args[5]
	return "CVR " + trid + " " + strings.Join([]string{v, v, v, cvrURL, cvrURL}, " ")
}
