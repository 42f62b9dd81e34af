// Package completions renders the bash, zsh and fish completion scripts
// of msn. Every script asks msn itself for the candidates (msn __complete
// WORD..., see commands.CompleteCommand), so the three shells offer the
// same words: commands, flags, flag values and contacts from the cached
// contact list.
package completions

import "strings"

// Bash returns the bash completion script. It uses the bash-completion
// package's word splitting and path completion when that is loaded.
func Bash(prog string) string { return render(bashScript, prog) }

// Zsh returns the zsh completion script (#compdef).
func Zsh(prog string) string { return render(zshScript, prog) }

// Fish returns the fish completion script.
func Fish(prog string) string { return render(fishScript, prog) }

// render puts prog in a script; @FUNC@ is prog made a shell identifier.
func render(script, prog string) string {
	fn := strings.Map(func(r rune) rune {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, prog)
	return strings.NewReplacer("@PROG@", prog, "@FUNC@", fn).Replace(script)
}
