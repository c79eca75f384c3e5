#!/bin/sh
# doctor.sh - seclog doctor's verdicts and exit status
. "$TESTLIB"

check "doctor --help" status 0 "$SECLOG" doctor --help
check "doctor stray argument" status 2 "$SECLOG" doctor now
[ "$(id -u)" = 0 ] || skip "not root: the audit checks need CAP_AUDIT_CONTROL"
serialize

if command -v setpriv >/dev/null; then
	check "doctor as nobody: exit 1" status 1 setpriv --reuid=65534 --regid=65534 --clear-groups "$SECLOG" doctor
	check "... says what it could not check" has '^unknown  *audit status' "$T/out"
	check "... and how to fix that" has 'fix: run seclog doctor as root' "$T/out"
fi

# actions_logged without "log": SCMP_ACT_LOG writes nothing
orig=$(cat /proc/sys/kernel/seccomp/actions_logged)
trap 'echo "$orig" >/proc/sys/kernel/seccomp/actions_logged; rm -rf "$T"' EXIT INT TERM
echo "$orig" | sed 's/ *\blog\b//' >/proc/sys/kernel/seccomp/actions_logged
check "doctor: actions_logged without log is a problem" status 1 "$SECLOG" doctor
check "... named, with the fix" has '^PROBLEM  *kernel.seccomp.actions_logged' "$T/out"
check "... the lift fix" has 'fix: seclog limits lift (sets kernel.seccomp.actions_logged=.*log)' "$T/out"
"$SECLOG" limits lift -q --state "$T/state"
check "lift adds log" grep -qw log /proc/sys/kernel/seccomp/actions_logged
"$SECLOG" limits restore -q --state "$T/state"
check "restore takes it out again" sh -c "! grep -qw log /proc/sys/kernel/seccomp/actions_logged"
echo "$orig" >/proc/sys/kernel/seccomp/actions_logged
check "doctor --json is one document" sh -c "'$SECLOG' doctor --json | jq -e '.checks | length > 5' >/dev/null"
finish
