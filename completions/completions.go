// Package completions renders the bash, zsh and fish completion scripts
// of msn.
package completions

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// Bash returns the bash completion script. It asks msn itself for
// candidates, and uses the bash-completion package's word splitting when
// that is loaded.
func Bash(prog string) string {
	return strings.ReplaceAll(bashScript, "@PROG@", prog)
}

// Zsh returns the zsh completion script (#compdef).
func Zsh(prog string) string {
	return strings.ReplaceAll(zshScript, "@PROG@", prog)
}

// Fish returns the fish completion script.
func Fish(app *cli.App) (string, error) {
	s, err := app.ToFishCompletion()
	if err != nil {
		return "", fmt.Errorf("completions: %w", err)
	}
	return s, nil
}

const bashScript = `# bash completion for @PROG@; uses the bash-completion package when loaded.

_@PROG@_complete() {
  local cur prev words cword
  if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
    _get_comp_words_by_ref -n "=:" cur prev words cword || return
  else
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
    cur=${COMP_WORDS[COMP_CWORD]}
  fi
  local request
  if [[ "$cur" == "-"* ]]; then
    request=("${words[@]:0:$cword}" "$cur" --generate-bash-completion)
  else
    request=("${words[@]:0:$cword}" --generate-bash-completion)
  fi
  local opts
  opts=$("${request[@]}" 2>/dev/null)
  COMPREPLY=($(compgen -W "${opts}" -- "${cur}"))
  return 0
}

complete -o bashdefault -o default -o nospace -F _@PROG@_complete @PROG@
`

const zshScript = `#compdef @PROG@

_@PROG@() {
  local -a opts
  local cur
  cur=${words[-1]}
  if [[ "$cur" == "-"* ]]; then
    opts=("${(@f)$(${words[@]:0:#words[@]-1} ${cur} --generate-bash-completion 2>/dev/null)}")
  else
    opts=("${(@f)$(${words[@]:0:#words[@]-1} --generate-bash-completion 2>/dev/null)}")
  fi

  if [[ "${opts[1]}" != "" ]]; then
    _describe 'values' opts
  else
    _files
  fi
}

if [[ "${funcstack[1]}" == "_@PROG@" ]]; then
  _@PROG@ "$@"
else
  compdef _@PROG@ @PROG@
fi
`
