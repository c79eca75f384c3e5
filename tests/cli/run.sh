#!/bin/sh
# run.sh - seclog run's usage and what it refuses before anything runs
# (any user; the passes on the real kernel are in run-root.sh)
. "$TESTLIB"

check "run --help" status 0 "$SECLOG" run --help
check "... shows the usage" has '^usage: seclog run' "$T/out"
check "... and the exit statuses" has '125 seclog failed' "$T/out"
# usage errors are 125: CMD's own statuses (2 among them) come through
check "no command: 125" status 125 "$SECLOG" run -o "$T/x.json"
check "... says so" has 'no command to run' "$T/err"
check "... with the usage" has '^usage: seclog run' "$T/err"
check "unknown option: 125" status 125 "$SECLOG" run --frob -- true
check "... in house form" has "^seclog: unknown option '--frob'$" "$T/err"
check "bad --source: 125" status 125 "$SECLOG" run --source tape -- true
check "... names the choices" has "not one of netlink, journal, kmsg, auto" "$T/err"
check "--add-arch without --merge: 125" status 125 "$SECLOG" run --add-arch -- true
check "--dry-run without an output: 125" status 125 "$SECLOG" run --dry-run -- true
# refused before anything runs
check "a missing --merge profile: 125" status 125 "$SECLOG" run --merge "$T/none.json" -- touch "$T/ran"
check "... says how to make one" has "no such profile (to write a new profile, use -o" "$T/err"
check "... CMD did not run" test ! -e "$T/ran"
printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [' >"$T/bad.json"
check "a broken --profile: 125" status 125 "$SECLOG" run --profile "$T/bad.json" -- touch "$T/ran"
check "... says where" has "bad.json: " "$T/err"
check "... CMD did not run" test ! -e "$T/ran"

# --runtime: what it refuses before any runtime runs
echo '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": []}' >"$T/p.json"
check "--bundle without --runtime: 125" status 125 "$SECLOG" run --bundle "$T" --merge "$T/p.json" -- true
check "... says what it is for" has "bundle is for --runtime runc or crun" "$T/err"
check "--runtime runc with a command: 125" status 125 "$SECLOG" run --runtime runc --merge "$T/p.json" -- true
check "... the bundle's process.args runs" has "takes no command: the bundle's process.args runs" "$T/err"
check "--runtime podman without a command: 125" status 125 "$SECLOG" run --runtime podman --merge "$T/p.json"
check "--name for podman: 125" status 125 "$SECLOG" run --runtime podman --name x --merge "$T/p.json" -- run x
check "--runtime without a profile: 125" status 125 "$SECLOG" run --runtime runc --bundle "$T"
check "... says how to make one" has "needs a profile (--merge or --profile; seclog init" "$T/err"
check "--runtime runc, a directory without config.json: 125" \
	status 125 "$SECLOG" run --runtime runc --bundle "$T" --merge "$T/p.json"
check "... says what a bundle holds" has "$T/config.json: no such file (an OCI bundle holds config.json" "$T/err"
mkdir "$T/tmp"
check "--runtime podman, a command without run: 125" \
	status 125 env TMPDIR="$T/tmp" "$SECLOG" run --runtime podman --merge "$T/p.json" -- podman ps
check "... says why" has "the podman command has no 'run'" "$T/err"
check "... and left no copy behind" test -z "$(ls -A "$T/tmp")"
finish
