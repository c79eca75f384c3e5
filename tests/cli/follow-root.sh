#!/bin/sh
# follow-root.sh - --follow and --state on a real auditd log, rotated by
# auditd itself (max_log_file_action = ROTATE; SIGUSR1 rotates now) while
# real SECCOMP records pour in: every record counted once, none lost,
# within one followed run and across two --state runs.
. "$TESTLIB"

[ "$(id -u)" = 0 ] || skip "not root: loading filters and running auditd need root"
need_kernel_records
command -v auditd >/dev/null && command -v auditctl >/dev/null || skip "auditd is not installed"

serialize
pidof auditd >/dev/null && skip "an auditd runs already: this test needs its own"
old_enabled=$(auditctl -s 2>/dev/null | awk '$1 == "enabled" { print $2 }')
old_backlog=$(auditctl -s 2>/dev/null | awk '$1 == "backlog_limit" { print $2 }')
auditd_pid=
cleanup() {
	[ -n "$auditd_pid" ] && kill "$auditd_pid" 2>/dev/null && wait "$auditd_pid" 2>/dev/null
	[ -n "$old_backlog" ] && auditctl -b "$old_backlog" >/dev/null
	# auditd 3.0.9 leaves auditing enabled when it stops: put back what was
	[ -n "$old_enabled" ] && [ "$old_enabled" != 2 ] && auditctl -e "$old_enabled" >/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
# bursts of a few thousand records: room for them in the kernel's queue
auditctl -b 8192 >/dev/null

A=$T/audit
start_auditd "$A" ENRICHED
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$A/audit.log" ] && break; sleep 0.2; done
kill -0 "$auditd_pid" 2>/dev/null && [ -s "$A/audit.log" ] || skip "auditd did not start here"

# a burst of N records tagged TAG, then a rotation by auditd
burst() { "$HELPERS/helper-logrun" -t "$2" -d 50 -n "$1"; }
rotate() {
	kill -USR1 "$auditd_pid"
	# the new audit.log is there once auditd has rotated
	for i in 1 2 3 4 5 6 7 8 9 10; do [ -e "$A/audit.log.$1" ] && break; sleep 0.1; done
}

# 1. one followed run across two rotations
"$SECLOG" harvest -f "$A/audit.log" --follow --duration 6 --auid 4711 --state "$T/state" \
	--json >"$T/run1.json" 2>"$T/run1.err" &
harvest=$!
sleep 1
burst 3000 4711
rotate 1
burst 3000 4711
rotate 2
burst 3000 4711
wait "$harvest"
check "followed across auditd's rotations: exit 0" test $? = 0
check "auditd rotated twice" test -s "$A/audit.log.2"
# each burst: N getppid, then exit_group
check "... 9003 records (9000 getppid), each once, none lost" \
	jqok '.matched == 9003 and ([.syscalls[] | select(.name == "getppid") | .count] | add) == 9000
	      and .duplicates == 0 and .incomplete == false' "$T/run1.json"

# 2. between two --state runs: records, a rotation, records
burst 1000 4711
rotate 3
burst 1000 4711
sleep 1		# auditd writes them
check "--state after a rotation: exit 0" \
	status 0 "$SECLOG" harvest -f "$A/audit.log" --auid 4711 --state "$T/state" --json
check "... the 2002 written since, each once" \
	jqok '.matched == 2002 and .duplicates == 0 and .incomplete == false' "$T/out"
check "... and then none" \
	status 0 "$SECLOG" harvest -f "$A/audit.log" --auid 4711 --state "$T/state" --json
check "... none" jqok ".matched == 0" "$T/out"
finish
