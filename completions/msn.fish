# fish completion for msn. The candidates come from
# "msn __complete WORDS...", which reads the cached contact list but
# never signs in.

function __msn_complete
    set -l tok (commandline -ct)
    set -l out (msn __complete (commandline -opc)[2..-1] $tok 2>/dev/null)
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

complete -c msn -f -a '(__msn_complete)'
