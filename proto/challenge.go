package proto

import (
	"crypto/md5"
	"encoding/hex"
)

// The client id and key that answer server challenges for MSNP7 and
// MSNP8 (the same pair serves MSNP6 to MSNP9).
const (
	challengeClientID = "msmsgs@msnmsgr.com"
	challengeKey      = "Q1P7W2E4J9R8U3S5"
)

// ChallengeResponse returns the answer to a CHL challenge: the lower-case
// hex MD5 of the challenge followed by the client key.
func ChallengeResponse(challenge string) string {
	sum := md5.Sum([]byte(challenge + challengeKey))
	return hex.EncodeToString(sum[:])
}

// md5Response returns the MSNP7 login answer: hex MD5 of salt and
// password.
func md5Response(salt, password string) string {
	sum := md5.Sum([]byte(salt + password))
	return hex.EncodeToString(sum[:])
}
