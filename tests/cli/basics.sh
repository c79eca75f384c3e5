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
