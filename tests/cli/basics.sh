#!/bin/sh
# basics.sh - help, version, usage errors and exit codes
. "$TESTLIB"

check "--version" status 0 "$SECLOG" --version
check "--version names the package" has '^seclog [0-9]' "$T/out"
check "--help lists harvest" status 0 "$SECLOG" --help
check "--help output" has 'harvest' "$T/out"
check "no command is a usage error" status 2 "$SECLOG"
check "unknown command is a usage error" status 2 "$SECLOG" frobnicate
check "unknown command message" has "^seclog: 'frobnicate' is not a seclog command" "$T/err"
check "harvest --help" status 0 "$SECLOG" harvest --help
check "harvest --help shows usage" has '^usage: seclog harvest' "$T/out"
check "unknown option: usage 2" status 2 "$SECLOG" harvest --frob
check "unknown option: usage line" has '^usage: seclog harvest' "$T/err"
# getopt's errors in the house form, for every command
check "unknown long option" status 2 "$SECLOG" harvest --frob
check "... in house form" has "^seclog: unknown option '--frob'$" "$T/err"
check "unknown short option in a cluster" status 2 "$SECLOG" harvest -qx
check "... names it" has "^seclog: unknown option '-x'$" "$T/err"
check "missing argument" status 2 "$SECLOG" harvest --comm
check "... in house form" has "^seclog: option '--comm' needs an argument$" "$T/err"
check "missing argument, short" status 2 "$SECLOG" harvest -f
check "... in house form" has "^seclog: option '-f' needs an argument$" "$T/err"
check "argument to a flag" status 2 "$SECLOG" harvest --json=yes
check "... in house form" has "^seclog: option '--json' takes no argument$" "$T/err"
check "ambiguous abbreviation" status 2 "$SECLOG" harvest --a 1
check "... lists the candidates" has "^seclog: option '--a' is ambiguous: --auid, --add-arch, --allow-denied$" "$T/err"
check "limits: unknown option" status 2 "$SECLOG" limits --frob
check "... in house form" has "^seclog: unknown option '--frob'$" "$T/err"
check "limits: missing argument" status 2 "$SECLOG" limits lift --state
check "... in house form" has "^seclog: option '--state' needs an argument$" "$T/err"
check "doctor: unknown option" status 2 "$SECLOG" doctor -x
check "... in house form" has "^seclog: unknown option '-x'$" "$T/err"
check "... with the usage" has '^usage: seclog doctor' "$T/err"
check "no getopt message of its own" hasnt '^[a-z]*: \(invalid\|unrecognized\)' "$T/err"
check "limits without a subcommand shows the status" status 0 "$SECLOG" limits
check "... the table" has '^SETTING  *STATE' "$T/out"
# comm is cut to 15 bytes by the kernel: a longer --comm could never match
check "--comm of 16 bytes is a usage error" status 2 "$SECLOG" harvest --comm abcdefghijklmnop -f /dev/null
check "... that says why and what to use" has "kernel keeps only the first 15 bytes.*use --comm 'abcdefghijklmno'" "$T/err"
check "--comm of 15 bytes is fine" status 0 "$SECLOG" harvest -q --comm abcdefghijklmno -f /dev/null
check "bad --pid" status 2 "$SECLOG" harvest --pid abc -f /dev/null
check "bad --pid message" has "^seclog: --pid: 'abc' is not a process id" "$T/err"
check "bad --since" status 2 "$SECLOG" harvest --since 'last tuesday' -f /dev/null
check "--check without --merge" status 2 "$SECLOG" harvest --check -f /dev/null
check "--add-arch without --merge" status 2 "$SECLOG" harvest --add-arch -f /dev/null
check "stray argument" status 2 "$SECLOG" harvest somefile
check "missing file: failure 1" status 1 "$SECLOG" harvest -f "$T/nope"
check "missing file message" has "^seclog: $T/nope: No such file or directory" "$T/err"
check "empty input: success" status 0 "$SECLOG" harvest -f /dev/null
check "empty input warns" has 'no SECCOMP records matched' "$T/err"
check "empty input -q is silent" status 0 "$SECLOG" harvest -q -f /dev/null
check "-q: empty stderr" test ! -s "$T/err"
check "stdout to /dev/full fails" sh -c "! '$SECLOG' harvest -f '$FIXTURES/dmesg.txt' >/dev/full 2>/dev/null"
finish
