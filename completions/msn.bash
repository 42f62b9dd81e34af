# bash completion for msn; uses the bash-completion package when loaded.

_msn_complete() {
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

complete -o bashdefault -o default -o nospace -F _msn_complete msn
