package commands

import "strings"

// closest returns the candidate nearest to name when it is near enough
// to be a likely typo (at most two edits, or one in a name of three
// letters), or a candidate that name is a prefix of; else "". A name of
// one or two letters is too short to guess from.
func closest(name string, candidates []string) string {
	name = strings.ToLower(name)
	if len(name) < 3 {
		return ""
	}
	best, bestDist := "", 3
	if len(name) == 3 {
		bestDist = 2
	}
	for _, c := range candidates {
		if len(c) > 1 && len(name) > 1 && strings.HasPrefix(c, name) {
			return c
		}
		if d := editDistance(name, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, counted in
// bytes (command and flag names are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
