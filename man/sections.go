package man

// The prose of msn(1), in the markup prose reads. What the application
// defines (commands, flags, arguments, environment variables, exit
// codes) is generated; only what it cannot say is written here.

// description follows the application's own description.
const description = `
Global options go before the command, command options before its
arguments: ` + "`msn --json status --watch`" + `, not ` + "`msn status --watch --json`" + `.
Every global option has an environment twin (see ENVIRONMENT); ` + "`--server`" + `,
` + "`--nexus`" + `, ` + "`--ca-file`" + `, ` + "`--protocol`" + ` and ` + "`--keyring`" + ` default to what
` + "`msn login`" + ` recorded for the account. An option takes its value from, in
order: the command line, its environment variable (an empty one counts as
unset), what login recorded, its default.

Standard output carries data only: tables for people, or with ` + "`--json`" + ` one
JSON object per line. Diagnostics go to standard error, prefixed
"msn:", with a "msn: hint:" line when there is advice.

Each command signs in for as long as its job takes, unless another msn
command of the same account holds the session (` + "`msn up`" + `, ` + "`listen`" + `,
` + "`recvfile`" + `, ` + "`status --watch`" + `, ` + "`send -i`" + `): MSN allows one session per
account, so the holder serves it to the account's other commands over a
Unix socket, and they run through it without signing in again and without
signing the holder out. ` + "`--no-share`" + ` runs a command in a session of its own,
which ends the held one.

The global ` + "`--timeout`" + ` bounds the whole command, sign-in, contact list,
conversation and acknowledgement together, except the waits that have
their own option (` + "`--wait-online`" + `, ` + "`--idle`" + `, ` + "`--for`" + `, ` + "`sendfile --wait`" + `),
which come on top of it.
`

// globalOptions introduces the global options.
const globalOptions = `
These go between msn and the command.
`

// passwordOptions introduces the options every command that may sign in
// takes.
const passwordOptions = `
Every command that may sign in takes these, after the command. A password
never travels as an option value. It comes from, in order: ` + "`--password-stdin`" + `,
` + "`--password-file`" + `, ` + "`--password-command`" + ` (run with sh -c), the keyring (after
` + "`msn login --save-password`" + `), and last a prompt without echo when standard
input is a terminal. With none of these, msn exits 78 instead of waiting.
A cached Passport ticket, or a shared session, needs no password at all.
`

// environmentIntro comes before the variables of the options.
const environmentIntro = `
Each of these sets the default of an option; the option on the command
line wins over it, and an empty variable counts as unset.
`

// environmentOther lists the variables that no option names.
const environmentOther = `
= MSN_FROM, MSN_NAME, MSN_CONVERSATION, MSN_CONTENT_TYPE
Set, not read: the command of ` + "`msn listen --exec`" + ` runs with the sender's address,
their friendly name, the conversation's id and the message's content type
in these, and the text of the message on its standard input.

= XDG_STATE_HOME
The state directory is $XDG_STATE_HOME/msn when it is an absolute path.

= HOME
Without XDG_STATE_HOME, the state directory is ~/.local/state/msn.

= XDG_RUNTIME_DIR
The sockets of shared sessions are in $XDG_RUNTIME_DIR/msn when it is an
absolute path, else in run/ under the state directory.

= DBUS_SESSION_BUS_ADDRESS
On Linux and the BSDs, ` + "`--keyring auto`" + ` and ` + "`system`" + ` ask the Secret Service
only when a session bus exists.
`

// files lists the files msn reads and writes.
const files = `
= ~/.local/state/msn/state.json
The state directory is $XDG_STATE_HOME/msn, or ~/.local/state/msn. This
file holds what is not secret: the default account, what ` + "`msn login`" + `
recorded for each account, and per account and server the notification
server, the Passport login URL, the cached contact list with its version
and the presence ` + "`msn status set`" + ` saved. It is mode 0600 in a 0700
directory and written atomically. One that cannot be read is moved aside
to state.json.corrupt-TIME with a warning, and the cache starts afresh.

= ~/.local/state/msn/secrets.json
With ` + "`--keyring file`" + ` only: the tickets and saved passwords, mode 0600; msn
refuses a file that group or others can read.

= $XDG_RUNTIME_DIR/msn/*.sock
The sockets of shared sessions, one per server and account, named by a
digest of both, in a 0700 directory; without XDG_RUNTIME_DIR, in run/
under the state directory. Each is mode 0600, and both ends check the
other's user id before reading anything. A socket left by a killed holder
is removed by the next command.
`

// exitNotes follows the exit codes.
const exitNotes = `
` + "`msn notify`" + ` exits with its command's status instead, as a shell gives it
(126, 127, 128+N after signal N), and with one of these codes only when
the command succeeded but the message could not be sent.
`

// examples are a few common uses.
const examples = `
Log in once, saving the password in the system keyring, then send a
message and look who is online:

$ msn login --save-password alice@example.com
$ msn send bob@example.com 'the build is done'
$ msn status

Send the output of a command to two contacts as one message, quietly (for cron):

$ df -h | msn -q send ops@example.com carol@example.com

Wait up to five minutes for one message from bob:

$ msn listen --from bob@example.com --count 1 --idle 5m

Run a job and tell ops how it ended, with its last lines of output:

$ msn notify --on-failure ops@example.com -- make -j8 release

Hold the session, so that other commands run through it:

$ msn up --reconnect &
$ msn contacts add carol@example.com
$ msn up --status

Try everything against a local server:

$ msn demo
`

// security says how msn handles secrets and what the protocol exposes.
const security = `
- Secrets (the Passport ticket, and the password only after
` + "`login --save-password`" + `) go to the system keyring: Secret Service on Linux,
the Keychain on macOS, the Credential Manager on Windows. With
` + "`--keyring auto`" + ` and no keyring answering, nothing secret is saved and msn says
so; there is no silent fallback to a file. ` + "`--keyring file`" + ` is an explicit
opt-in to secrets.json, mode 0600.
- A password never travels as an option value, so it is never on the
command line that other users can see: it comes from ` + "`--password-stdin`" + `,
` + "`--password-file`" + `, ` + "`--password-command`" + `, the keyring, or a prompt without
echo on a terminal. msn never prints a password or a ticket, not even
with ` + "`--debug`" + `.
- ` + "`--password-file`" + ` must be a regular file that only its owner can access
(chmod 600 or 400): msn refuses one that group or others have any
permission on with exit 78.
- Passport (MSNP8) sends the password over HTTPS to a verified host of the
nexus' domain, or one allowed with ` + "`--login-host`" + `. The messaging connection
itself is plain TCP: messages, contact lists and addresses can be read
by anyone on the path.
- MSNP7 (` + "`--protocol msnp7`" + `) logs in by sending, over that plain TCP
connection, the MD5 hash of a server challenge joined to the password:
anyone who records it can try to guess the password offline. It is used
only when asked for.
- The sockets of shared sessions are usable only by the same user: their
directory is 0700, the socket 0600, and each end checks the other's user
id. Where that cannot be checked, sessions are not shared.
- Referrals to loopback and private addresses from a public server are
refused unless ` + "`--allow-private-servers`" + ` is given.
`

// seeAlso names related pages.
const seeAlso = `
` + "`sysexits`" + `(3), ` + "`sh`" + `(1), ` + "`secret-tool`" + `(1), ` + "`sha256sum`" + `(1)

The README of msn covers the protocol decisions, performance and the
shared sessions in more depth.
`
