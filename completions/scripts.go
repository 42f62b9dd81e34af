package completions

// The scripts, with @PROG@ for the program and @FUNC@ for it as an
// identifier. msn __complete prints one candidate a line, or one of the
// directives :file, :dir and :command for the shell to complete a path,
// a directory or a command name itself. For "--flag=value" it prints
// "--flag=candidate".

const bashScript = `# bash completion for @PROG@; uses the bash-completion package when loaded.
# The candidates come from "@PROG@ __complete WORDS...", which reads the
# cached contact list but never signs in.

_@FUNC@_complete() {
  local cur prev words cword
  if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
    _get_comp_words_by_ref -n "=:" cur prev words cword || return
  else
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
    cur=${COMP_WORDS[COMP_CWORD]}
  fi
  local -a out
  mapfile -t out < <(@PROG@ __complete "${words[@]:1:cword}" 2>/dev/null)
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

complete -F _@FUNC@_complete @PROG@
`

const zshScript = `#compdef @PROG@
# zsh completion for @PROG@. The candidates come from
# "@PROG@ __complete WORDS...", which reads the cached contact list but
# never signs in.

_@FUNC@() {
  local -a out
  out=("${(@f)$(@PROG@ __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
  case ${out[1]} in
  :file) compset -P '-*='; _files; return ;;
  :dir) compset -P '-*='; _files -/; return ;;
  :command) _command_names; return ;;
  esac
  (( ${#out} )) && [[ -n ${out[1]} ]] || return 1
  compadd -a out
}

if [[ "${funcstack[1]}" == "_@FUNC@" ]]; then
  _@FUNC@ "$@"
else
  compdef _@FUNC@ @PROG@
fi
`

const fishScript = `# fish completion for @PROG@. The candidates come from
# "@PROG@ __complete WORDS...", which reads the cached contact list but
# never signs in.

function __@FUNC@_complete
    set -l tok (commandline -ct)
    set -l out (@PROG@ __complete (commandline -opc)[2..-1] $tok 2>/dev/null)
    set -l pre (string match -r -- '^-[^=]*=' $tok)
    set -l path (string replace -r -- '^-[^=]*=' '' $tok)
    switch "$out[1]"
        case :file
            __fish_complete_path $path | string replace -r -- '^' "$pre"
        case :dir
            __fish_complete_directories $path | string replace -r -- '^' "$pre"
        case :command
            __fish_complete_command
        case '*'
            printf '%s\n' $out
    end
end

complete -c @PROG@ -f -a '(__@FUNC@_complete)'
`
