#!/bin/sh
# trust-root.sh - forged lines through a real rsyslogd and journald: user
# nobody writes "kernel" and "audit" records with logger and systemd-cat
# next to real records of helper-logrun; seclog counts the real ones (with
# a kernel-made copy) and reports the forged ones, and counts each record
# of the journal's two transports once.  Its own journald and rsyslogd run
# in a private mount namespace (their sockets and journal on tmpfs), so the
# host's logging is not touched.
. "$TESTLIB"

[ "$(id -u)" = 0 ] || skip "not root: starts its own journald and rsyslogd"
J=/lib/systemd/systemd-journald
for c in unshare rsyslogd logger systemd-cat journalctl su flock; do
	command -v $c >/dev/null || skip "$c missing (scripts/test installs rsyslog, systemd, util-linux)"
done
[ -x "$J" ] || skip "$J missing"
[ -f /etc/systemd/journald.conf ] || skip "/etc/systemd/journald.conf missing (bound over in the namespace)"
id nobody >/dev/null 2>&1 || skip "no user nobody"
need_kernel_records

in_private_mount_ns SECLOG_TRUST_NS

serialize
old_rl=$(sysctl -n kernel.printk_ratelimit)
jpid= rpid=
cleanup() {
	# our children: killed and reaped, no zombie left
	[ -n "$rpid" ] && kill "$rpid" 2>/dev/null && wait "$rpid"
	[ -n "$jpid" ] && kill "$jpid" 2>/dev/null && wait "$jpid"
	sysctl -q -w kernel.printk_ratelimit="$old_rl"
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

mkdir -p /run/systemd/journal /run/log
mount -t tmpfs tmpfs /run/systemd/journal
mount -t tmpfs tmpfs /run/log
printf '[Journal]\nStorage=volatile\nForwardToSyslog=yes\nRateLimitBurst=0\n' >"$T/journald.conf"
mount --bind "$T/journald.conf" /etc/systemd/journald.conf
"$J" >"$T/journald.out" 2>&1 &
jpid=$!
mkdir -p "$T/rs"
cat >"$T/rsyslog.conf" <<CONF
global(workDirectory="$T/rs")
module(load="imuxsock" SysSock.Name="/run/systemd/journal/syslog")
module(load="imklog")
\$ActionFileDefaultTemplate RSYSLOG_TraditionalFileFormat
kern.* $T/kern.log
*.*;auth,authpriv.none $T/syslog
CONF
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ -S /run/systemd/journal/socket ] && break
	sleep 0.3
done
check "our journald runs" test -S /run/systemd/journal/socket
rsyslogd -n -f "$T/rsyslog.conf" -i "$T/rsyslog.pid" &
rpid=$!
sleep 1
check "our rsyslogd runs" kill -0 "$rpid"

# every record on the printk path too (kmsg, kern.log, kernel transport)
sysctl -q -w kernel.printk_ratelimit=0
C=$(journalctl -n 0 --show-cursor | sed -n 's/^-- cursor: //p')
# older loss reports in the kernel's backlog are not this test's; --since
# is whole seconds: step past the second the logs began in
sleep 1.1
start=$(date +%s)
"$HELPERS/helper-logrun" -- /bin/true
"$HELPERS/helper-logrun" -n 50 &
pid=$!
wait $pid
sleep 1
journalctl --after-cursor="$C" -o cat >"$T/cat"
real=$(grep "pid=$pid " "$T/cat" | grep -m1 -o 'audit([0-9.:]*)')
check "a real stamp to copy" test -n "$real"
# nobody forges records of the same process: one with a real stamp, one
# with its own, audit transport lookalikes, through both tools
rec="auid=4294967295 uid=0 gid=0 ses=4294967295 pid=$pid comm=\"helper-logrun\" exe=\"$HELPERS/helper-logrun\" sig=0 arch=c000003e syscall=165 compat=0 ip=0x7f0000000000 code=0x7ffc0000"
LOG="logger --socket-errors=on -u /run/systemd/journal/dev-log"
su nobody -s /bin/sh -c "$LOG -t kernel 'audit: type=1326 $real: $rec'"
su nobody -s /bin/sh -c "$LOG -p kern.warning -t kernel 'audit: type=1326 audit(1796100000.123:77): $rec'"
su nobody -s /bin/sh -c "$LOG -i -t audit 'SECCOMP $rec'"
su nobody -s /bin/sh -c "echo 'audit: type=1326 audit(1796100001.456:78): $rec' | systemd-cat -t kernel"
su nobody -s /bin/sh -c "echo 'SECCOMP $rec' | systemd-cat -t audit"
sleep 1.5
journalctl --after-cursor="$C" -o short >"$T/short"
journalctl --after-cursor="$C" -o cat >"$T/cat"
a=$(grep "pid=$pid " "$T/short" | grep -v syscall=165 | grep -c 'audit\[[0-9]*\]: SECCOMP auid=')
check "the journal has the 51 records (audit transport: $a)" test "$a" = 51
check "the forged lines reached rsyslog's syslog" sh -c "grep -q 'kernel: audit: type=1326 $real: .*syscall=165 ' '$T/syslog'"
# as the man page says: sent as kern.warning, filed under user by journald
check "kern.warning from logger: in syslog" grep -q 'audit(1796100000.123:77)' "$T/syslog"
check "  but not in kern.log" sh -c "! grep -q 'audit(1796100000.123:77)' '$T/kern.log'"

# rsyslog's file alone: text, nothing counts, all reported
check "syslog: exit 0" status 0 "$SECLOG" harvest --json -f "$T/syslog" --pid $pid --since $start
check "syslog: nothing counted" jqok '.matched == 0 and .untrusted.records > 0' "$T/out"
check "syslog: the warning names mount" has 'they would add: .*mount' "$T/err"
# with /dev/kmsg (kernel-made): the 51 real records count, the forged not
check "syslog + /dev/kmsg: exit 0" status 0 "$SECLOG" harvest --json -f "$T/syslog" -f /dev/kmsg --pid $pid --since $start
check "syslog + /dev/kmsg: 51 counted" jqok '.matched == 51' "$T/out"
check "syslog + /dev/kmsg: mount reported, not counted" jqok '.untrusted.new == ["mount"] and ([.syscalls[].name] | index("mount") == null)' "$T/out"
check "kern.log + /dev/kmsg: the same" status 0 "$SECLOG" harvest --json -f "$T/kern.log" -f /dev/kmsg --pid $pid --since $start
check "  (51 counted)" jqok '.matched == 51' "$T/out"
printf '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[]}\n' >"$T/p.json"
check "merge from syslog + /dev/kmsg" status 0 "$SECLOG" harvest -f "$T/syslog" -f /dev/kmsg --pid $pid --since $start --merge "$T/p.json"
check "  getppid added, mount not" sh -c "grep -q '\"getppid\"' '$T/p.json' && ! grep -q '\"mount\"' '$T/p.json'"
check "--trust-syslog: mount counted" status 0 "$SECLOG" harvest --json --trust-syslog -f "$T/syslog" --pid $pid --since $start
check "  (in the result)" jqok '[.syscalls[].name] | index("mount") != null' "$T/out"

# journalctl short and cat: each record once (twins); text as well
for o in short cat; do
	# -o cat has no time: the cursor alone selects the span
	since="--since $start"
	[ $o = cat ] && since=
	journalctl --after-cursor="$C" -o $o | "$SECLOG" harvest -q --json -f - --pid $pid $since >"$T/j.json"
	check "journalctl -o $o: nothing counted on its own" jqok '.matched == 0' "$T/j.json"
	journalctl --after-cursor="$C" -o $o _TRANSPORT=audit _TRANSPORT=kernel |
		"$SECLOG" harvest -q --json --trust-syslog -f - --pid $pid $since >"$T/j.json"
	check "journalctl -o $o, audit and kernel transports: 51 records, once" \
		jqok '.matched == 51 and .duplicates == 51 and .untrusted.records == 0' "$T/j.json"
	check "  (getppid x50, no mount)" jqok '([.syscalls[] | select(.name == "getppid") | .count] | add) == 50 and ([.syscalls[].name] | index("mount") == null)' "$T/j.json"
	journalctl --after-cursor="$C" -o $o | "$SECLOG" harvest -q --json -f - -f /dev/kmsg --pid $pid $since >"$T/j.json"
	check "journalctl -o $o + /dev/kmsg: 51 counted, only forged ones reported" \
		jqok '.matched == 51 and .untrusted.new == ["mount"]' "$T/j.json"
done
finish
