# bash completion for msn; uses the bash-completion package when loaded.
# The candidates come from "msn __complete WORDS...", which reads the
# cached contact list but never signs in.

_msn_complete() {
  local cur prev words cword
  if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
    _get_comp_words_by_ref -n "=:" cur prev words cword || return
  else
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
    cur=${COMP_WORDS[COMP_CWORD]}
  fi
  local -a out
  mapfile -t out < <(msn __complete "${words[@]:1:cword}" 2>/dev/null)
  COMPREPLY=()
  if [[ $cur == -*=* ]]; then
    cur=${cur#*=}
    out=("${out[@]#*=}")
  fi
  case ${out[0]-} in
  :file | :dir)
    if declare -F _filedir >/dev/null 2>&1; then
      if [[ ${out[0]} == :dir ]]; then _filedir -d; else _filedir; fi
    else
      compopt -o filenames 2>/dev/null
      if [[ ${out[0]} == :dir ]]; then
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
      else
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      fi
    fi
    return 0
    ;;
  :command)
    mapfile -t COMPREPLY < <(compgen -c -- "$cur")
    return 0
    ;;
  esac
  local w
  for w in "${out[@]}"; do
    COMPREPLY+=("$(printf '%q' "$w")")
  done
  return 0
}

complete -F _msn_complete msn
