# msn fish shell completion

function __fish_msn_no_subcommand --description 'Test if there has been any subcommand yet'
    for i in (commandline -opc)
        if contains -- $i login logout serve demo
            return 1
        end
    end
    return 0
end

complete -c msn -n '__fish_msn_no_subcommand' -f -l account -s a -r -d 'the Passport EMAIL to act as (default: the last account that logged in)'
complete -c msn -n '__fish_msn_no_subcommand' -f -l server -r -d 'dispatch or notification server HOST:PORT'
complete -c msn -n '__fish_msn_no_subcommand' -f -l nexus -r -d 'Passport nexus URL (https)'
complete -c msn -n '__fish_msn_no_subcommand' -f -l login-host -r -d 'also allow Passport logins at HOST (repeatable)'
complete -c msn -n '__fish_msn_no_subcommand' -f -l protocol -r -d 'protocol version: msnp8, or msnp7 (MD5 login, weaker)'
complete -c msn -n '__fish_msn_no_subcommand' -l ca-file -r -d 'also trust the CA certificates in the PEM FILE'
complete -c msn -n '__fish_msn_no_subcommand' -f -l keyring -r -d 'where secrets are saved: auto, system, file or none'
complete -c msn -n '__fish_msn_no_subcommand' -f -l timeout -r -d 'give up after DURATION'
complete -c msn -n '__fish_msn_no_subcommand' -f -l json -d 'print JSON, one object per line'
complete -c msn -n '__fish_msn_no_subcommand' -f -l quiet -s q -d 'print only errors on stderr'
complete -c msn -n '__fish_msn_no_subcommand' -f -l debug -d 'print the wire transcript on stderr, secrets redacted'
complete -c msn -n '__fish_msn_no_subcommand' -f -l allow-private-servers -d 'follow referrals to loopback and private addresses'
complete -c msn -n '__fish_msn_no_subcommand' -f -l help -s h -d 'show help'
complete -c msn -n '__fish_seen_subcommand_from login' -f -l help -s h -d 'show help'
complete -r -c msn -n '__fish_msn_no_subcommand' -a 'login' -d 'log in, cache what can be cached, and remember the account as the default'
complete -c msn -n '__fish_seen_subcommand_from login' -f -l password-stdin -d 'read the password from the first line of stdin'
complete -c msn -n '__fish_seen_subcommand_from login' -l password-file -r -d 'read the password from the first line of a file only its owner can read'
complete -c msn -n '__fish_seen_subcommand_from login' -f -l password-command -r -d 'run a shell command and use the first line of its output as the password'
complete -c msn -n '__fish_seen_subcommand_from login' -f -l save-password -d 'save the password in the keyring so later commands never ask'
complete -c msn -n '__fish_seen_subcommand_from login' -f -l fresh -d 'ignore the cached ticket and ask Passport for a new one'
complete -c msn -n '__fish_seen_subcommand_from logout' -f -l help -s h -d 'show help'
complete -r -c msn -n '__fish_msn_no_subcommand' -a 'logout' -d 'forget the cached ticket, saved password and cached state of an account'
complete -c msn -n '__fish_seen_subcommand_from serve' -f -l help -s h -d 'show help'
complete -r -c msn -n '__fish_msn_no_subcommand' -a 'serve' -d 'run a local MSN server (MSNP7 and MSNP8, Passport over HTTPS) until interrupted'
complete -c msn -n '__fish_seen_subcommand_from serve' -f -l listen -r -d 'listen on this host (ports are chosen by the system)'
complete -c msn -n '__fish_seen_subcommand_from serve' -l accounts -r -d 'load accounts from a JSON file: [{"email", "password", "name"}]'
complete -c msn -n '__fish_seen_subcommand_from serve' -f -l demo -d 'add the demo accounts (alice, bob and carol at example.com)'
complete -c msn -n '__fish_seen_subcommand_from serve' -f -l dispatch -d 'also run a dispatch server that refers clients to the notification server'
complete -c msn -n '__fish_seen_subcommand_from serve' -f -l tickets -r -d 'Passport ticket policy: single-use (30 s, like the revival servers) or reusable'
complete -c msn -n '__fish_seen_subcommand_from serve' -f -l ticket-life -r -d 'life of a reusable ticket'
complete -c msn -n '__fish_seen_subcommand_from serve' -f -l challenge -d 'send a challenge after login and check the answer'
complete -c msn -n '__fish_seen_subcommand_from serve' -l ca-out -r -d 'write the CA certificate (PEM) to this path (default: a file in a new temporary directory)'
complete -c msn -n '__fish_seen_subcommand_from demo' -f -l help -s h -d 'show help'
complete -r -c msn -n '__fish_msn_no_subcommand' -a 'demo' -d 'run the toolkit end to end against an embedded local server, printing each step and its time'
