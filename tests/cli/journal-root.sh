#!/bin/sh
# journal-root.sh - the journal source (sd-journal) against a real
# journald of the test's own, in a private mount namespace (its sockets
# and its journal on tmpfs), so the host's logging is not touched and the
# source reads only this journald's files.  Real records of helper-logrun:
# each once although the journal holds it from two transports; resumed by
# cursor with none twice and none skipped; followed live; journald's rate
# limit (a real "Suppressed N messages" of a flooded unit) costs no record;
# the printk path's loss reports count only when the audit transport does
# not have the records.
# Until `seclog harvest --source journal` lands, build/tests/helper-journal
# reads the source as a harvest does (sl_harvest_add: filters, dedupe).
. "$TESTLIB"

[ "$(id -u)" = 0 ] || skip "not root: starts its own journald"
J=/lib/systemd/systemd-journald
HJ=$HELPERS/helper-journal
for c in unshare logger journalctl flock sysctl; do
	command -v $c >/dev/null || skip "$c missing (scripts/test installs systemd, util-linux)"
done
[ -x "$J" ] || skip "$J missing"
[ -f /etc/systemd/journald.conf ] || skip "/etc/systemd/journald.conf missing (bound over in the namespace)"
"$HJ" -S /dev/null >/dev/null 2>"$T/hj.err"
[ $? = 77 ] && skip "$(cat "$T/hj.err")"
grep -qw log /proc/sys/kernel/seccomp/actions_logged 2>/dev/null ||
	skip "kernel.seccomp.actions_logged lacks 'log': the kernel writes no records"
"$HELPERS/helper-logrun" -- true 2>/dev/null || skip "cannot load a seccomp filter here"
unshare -m --propagation private sh -c 'mount -t tmpfs tmpfs /mnt' 2>/dev/null ||
	skip "cannot make a private mount namespace here (unshare -m, mount)"
if [ -z "${SECLOG_JOURNAL_NS:-}" ]; then
	SECLOG_JOURNAL_NS=1 unshare -m --propagation private "$SHELL" "$0"
	exit $?
fi

serialize
old_rl=$(sysctl -n kernel.printk_ratelimit)
old_burst=$(sysctl -n kernel.printk_ratelimit_burst)
old_rmem=$(sysctl -n net.core.rmem_default)
jpid= CG=
cleanup() {
	[ -n "$jpid" ] && kill -CONT "$jpid" 2>/dev/null && kill "$jpid" 2>/dev/null && wait "$jpid"
	[ -n "$CG" ] && rmdir "$CG" 2>/dev/null
	sysctl -q -w kernel.printk_ratelimit="$old_rl" kernel.printk_ratelimit_burst="$old_burst" \
		net.core.rmem_default="$old_rmem"
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

# journald's sockets and its journal, and no other journal to read
mkdir -p /run/systemd/journal /run/log
mount -t tmpfs tmpfs /run/systemd/journal
mount -t tmpfs tmpfs /run/log
[ -d /var/log/journal ] && mount -t tmpfs tmpfs /var/log/journal
# a unit's rate limit: 5 messages in 2 s (times a factor for free space)
printf '[Journal]\nStorage=volatile\nForwardToSyslog=no\nRateLimitIntervalSec=2s\nRateLimitBurst=5\n' >"$T/journald.conf"
mount --bind "$T/journald.conf" /etc/systemd/journald.conf
# journald does not size its audit socket: 16 MiB (the default for new
# sockets, while it starts) holds any burst of this test, and of others'
# running meanwhile, so that its audit socket overflows only where the
# test makes it
sysctl -q -w net.core.rmem_default=16777216
"$J" >"$T/journald.out" 2>&1 &
jpid=$!
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ -S /run/systemd/journal/socket ] && break
	sleep 0.3
done
check "our journald runs" test -S /run/systemd/journal/socket
sleep 1	# it copies the kmsg ring first: old records, not this test's
sysctl -q -w net.core.rmem_default="$old_rmem"

LOG="logger --socket-errors=on -u /run/systemd/journal/dev-log"
# jget KEY: a value of helper-journal's last output ($T/hj)
jget() { sed -n "s/^$1 //p" "$T/hj"; }
hj() { "$HJ" "$@" >"$T/hj" 2>"$T/hj.err" || { cat "$T/hj.err" >&2; return 1; }; }
# the transports' copies of a process's records, as journalctl sees them
copies() { journalctl -o cat _TRANSPORT="$1" | grep -c "pid=$2 comm="; }

# from now: nothing of the past; the checkpoint is the journal's end
check "from now: reads" hj -S "$T/state"
check "  a cursor saved" grep -q '^s=' "$T/state"
cp "$T/state" "$T/state0"

# every record on the printk path too: both transports hold each one
sysctl -q -w kernel.printk_ratelimit=0
"$HELPERS/helper-logrun" -n 50 &
p1=$!
wait $p1
sleep 1
check "journal: 51 records of the audit transport" test "$(copies audit $p1)" = 51
check "journal: 51 copies of the kernel transport" test "$(copies kernel $p1)" = 51
check "run 1 (resume): reads" hj -S "$T/state" -p $p1
check "  51 records once, 51 copies not counted" \
	test "$(jget matched) $(jget duplicates) $(jget loss_reports)" = "51 51 0"
echo "# twin distance: $(jget twin_gap) records"

# records written between two runs: the second run takes exactly those
"$HELPERS/helper-logrun" -n 30 &
p2=$!
wait $p2
sleep 1
check "run 2 (resume): reads" hj -S "$T/state" -p $p1 -p $p2
check "  the 31 new records only: none twice, none skipped" \
	test "$(jget matched) $(jget duplicates)" = "31 31"
check "run 3 (resume), nothing new: nothing" hj -S "$T/state" -p $p1 -p $p2
check "  (0 records)" test "$(jget matched)" = 0
check "from the old checkpoint: both runs' records" hj -S "$T/state0" -p $p1 -p $p2
check "  (82)" test "$(jget matched)" = 82
check "from the start: both runs' records" hj -s -p $p1 -p $p2
check "  (82)" test "$(jget matched)" = 82
echo bogus >"$T/bad"
check "a bad cursor: fails" sh -c "! '$HJ' -S '$T/bad' 2>'$T/bad.err'"
check "  naming it" has 'journal cursor "bogus"' "$T/bad.err"

# follow: records written while it waits, from the state it left
sh -c "sleep 1.5; exec '$HELPERS/helper-logrun' -n 40" &
p3=$!
check "follow 4 s: reads" hj -F 4 -S "$T/state" -p $p3
wait $p3
check "  the 41 records written meanwhile" test "$(jget matched) $(jget duplicates)" = "41 41"
check "  it waited (-EAGAIN) between them" test "$(jget eagain)" -gt 0
check "  no record older than a watermark it gave before" test "$(jget watermark_ok)" = 1

# rotation: journald archives its file; a resume reads on into the new one
"$HELPERS/helper-logrun" -n 20 &
pr1=$!
wait $pr1
journalctl -q --rotate
"$HELPERS/helper-logrun" -n 20 &
pr2=$!
wait $pr2
sleep 1
check "across a rotation: reads" hj -S "$T/state" -p $pr1 -p $pr2
check "  42 records once, none skipped" test "$(jget matched) $(jget duplicates)" = "42 42"
check "  (an archived file and the new one)" sh -c "ls /run/log/journal/*/system@*.journal >/dev/null"
# vacuum: the entries after the cursor are gone: a gap, said so
"$HELPERS/helper-logrun" -n 20 &
pv=$!
wait $pv
sleep 1
journalctl -q --rotate
sleep 1.1
journalctl -q --vacuum-time=1s
check "vacuumed after the cursor: reads" hj -S "$T/state" -p $pv
check "  the gap is a loss" test $(( $(jget loss_why) & (1 << 7) )) -ne 0
check "  (its records are gone)" test "$(jget matched)" = 0

# journald's rate limit: a unit that floods the journal loses messages,
# and journald says so; its processes' SECCOMP records are all there
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -n "$cg2" ] && mkdir "$cg2/seclog-journal-$$.service" 2>/dev/null; then
	CG=$cg2/seclog-journal-$$.service
	sh -c "echo \$\$ >'$CG/cgroup.procs'
		i=0; while [ \$i -lt 100 ]; do $LOG -t seclog-flood flood\$i; i=\$((i + 1)); done
		exec '$HELPERS/helper-logrun' -n 50" &
	p4=$!
	wait $p4
	sleep 2.5	# the next message of the unit, after its interval, tells
	sh -c "echo \$\$ >'$CG/cgroup.procs'; $LOG -t seclog-flood after"
	sleep 1
	rmdir "$CG" && CG=
	kept=$(journalctl -o cat -t seclog-flood | grep -c '^flood')
	check "the unit's flood was rate-limited ($kept of 100 kept)" test "$kept" -lt 100
	check "journald says so" sh -c "journalctl -o cat MESSAGE_ID=a596d6fe7bfa4994828e72309e95d61e | grep -q 'Suppressed [0-9]* messages from seclog-journal-$$.service'"
	check "its process's records: all in the audit transport" test "$(copies audit $p4)" = 51
	check "rate-limited unit: reads" hj -S "$T/state" -p $p4
	check "  51 records once, no loss (journald's rate limit spares the audit and kernel transports)" \
		test "$(jget matched) $(jget loss_reports)" = "51 0"
else
	echo "# skip: no cgroup2 hierarchy to make a unit in: journald's rate limit not tested"
fi

# the printk rate limit drops kernel copies: the audit transport has them
sysctl -q -w kernel.printk_ratelimit=1 kernel.printk_ratelimit_burst=10
"$HELPERS/helper-logrun" -n 100 &
p5=$!
wait $p5
sleep 1.2	# the next record, after the interval, tells
"$HELPERS/helper-logrun" -n 1 &
p6=$!
wait $p6
sleep 1
check "journal: kernel copies suppressed" sh -c "journalctl -o cat _TRANSPORT=kernel | grep -q 'kauditd_printk_skb: [0-9]* callbacks suppressed'"
check "  (some, not all, copies of the kernel transport)" test "$(copies kernel $p5)" -lt 101
check "printk-limited: reads" hj -S "$T/state" -p $p5 -p $p6
check "  103 records, no loss: the audit transport holds the suppressed ones" \
	test "$(jget matched) $(jget loss_reports)" = "103 0"

# journald's audit socket overflows (journald stopped during a burst):
# systemd 252 then stops reading it for good (a burst of 3,000 records
# did it here with the default buffer); then only the kernel copies come,
# and the printk path's losses are losses
kill -STOP $jpid
"$HELPERS/helper-logrun" -n 60000
kill -CONT $jpid
sleep 2
sysctl -q -w kernel.printk_ratelimit=0
"$HELPERS/helper-logrun" -n 5 &
p7=$!
wait $p7
sleep 1
if [ "$(copies audit $p7)" = 0 ] && [ "$(copies kernel $p7)" = 6 ]; then
	check "journald's audit socket gone: reads" hj -S "$T/state" -p $p7
	check "  the kernel copies count (6)" test "$(jget matched)" = 6
	sysctl -q -w kernel.printk_ratelimit=1 kernel.printk_ratelimit_burst=10
	"$HELPERS/helper-logrun" -n 100 &
	p8=$!
	wait $p8
	sleep 1.2
	"$HELPERS/helper-logrun" -n 1 &
	p9=$!
	wait $p9
	sleep 1
	check "no audit transport, printk-limited: reads" hj -S "$T/state" -p $p8 -p $p9
	echo "# loss_why $(jget loss_why), matched $(jget matched)"
	check "  the suppressed copies are a loss" \
		test $(( $(jget loss_why) & 2 )) = 2
	check "  only the copies printk let through count" test "$(jget matched)" -lt 102
else
	echo "# skip: journald still reads its audit socket after an overflow (a newer systemd?)"
fi
finish
