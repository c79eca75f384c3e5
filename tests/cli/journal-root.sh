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
# seclog harvest --source journal, and build/tests/helper-journal (the
# source alone, read as a harvest reads it) for what only the source
# shows: its waits, its watermark, how far apart a record's copies are.
. "$TESTLIB"

[ "$(id -u)" = 0 ] || skip "not root: starts its own journald"
J=/lib/systemd/systemd-journald
HJ=$HELPERS/helper-journal
for c in unshare logger journalctl flock sysctl; do
	command -v $c >/dev/null || skip "$c missing (scripts/test installs systemd, util-linux)"
done
[ -x "$J" ] || skip "$J missing"
[ -f /etc/systemd/journald.conf ] || skip "/etc/systemd/journald.conf missing (bound over in the namespace)"
"$SECLOG" harvest --source journal --follow --duration 0.1 >/dev/null 2>"$T/hj.err"
grep -q 'built without libsystemd' "$T/hj.err" && skip "$(cat "$T/hj.err")"
need_kernel_records
in_private_mount_ns SECLOG_JOURNAL_NS

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
# a unit's rate limit: 5 messages a second (times a factor for free space)
printf '[Journal]\nStorage=volatile\nForwardToSyslog=no\nRateLimitIntervalSec=1s\nRateLimitBurst=5\n' >"$T/journald.conf"
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
# the followed harvests below take a run by its tag (helper-logrun -t)
[ "$(cat /proc/self/loginuid)" = 4294967295 ] || skip "this shell has a login uid: runs cannot be tagged"

sleep 1	# it copies the kmsg ring first: old records, not this test's
sysctl -q -w net.core.rmem_default="$old_rmem"

LOG="logger --socket-errors=on -u /run/systemd/journal/dev-log"
ours=0
since0=$(date +%s)
# jget KEY: a value of helper-journal's last output ($T/hj)
jget() { sed -n "s/^$1 //p" "$T/hj"; }
hj() { "$HJ" "$@" >"$T/hj" 2>"$T/hj.err" || { cat "$T/hj.err" >&2; return 1; }; }
# the transports' copies of a process's records, as journalctl sees them
copies() { journalctl -o cat _TRANSPORT="$1" | grep -c "pid=$2 comm="; }
# landed PID N [kernel]: wait (3 s at most) until the journal holds the N
# records of PID from the audit transport (and the kernel one).  A flood
# of another process's records meanwhile (a test on this kernel that did
# not serialize) overruns any journald: then nothing here can be told.
landed() {
	local i=0 a k
	while [ $i -lt 30 ]; do
		a=$(copies audit $1)
		k=$2
		[ -n "${3:-}" ] && k=$(copies kernel $1)
		[ "$a" = "$2" ] && [ "$k" = "$2" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	flooded
}
# flooded: skip when other processes' records flooded our journald
flooded() {
	local f
	f=$(journalctl -o cat _TRANSPORT=audit _TRANSPORT=kernel |
		grep -E '^SECCOMP |type=1326' | grep -vcE "pid=($ours) comm=")
	[ "$f" -gt 20000 ] && skip "other processes wrote $f records while this test ran (not serialized?): its journald could not keep up; run the test alone"
	return 0
}

# JH ARGS: seclog harvest --source journal --json, output in $T/out
JH() { "$SECLOG" harvest --source journal --json "$@"; }
# status_any COMMAND: exit 0 or 3 (complete or not), output in $T/out
status_any() {
	local rc
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc = 0 ] || [ $rc = 3 ]
}

# a first run reads the journal to its end; its checkpoint is the end
check "first run (--state): exit 0" status 0 JH --state "$T/st" --since $since0
check "  the journal's cursor saved" grep -q '^journal s=' "$T/st"
cp "$T/st" "$T/st0"
cp "$T/st" "$T/st00"

# every record on the printk path too: both transports hold each one
sysctl -q -w kernel.printk_ratelimit=0
"$HELPERS/helper-logrun" -n 50 &
p1=$!
ours="$ours|$p1"
wait $p1
landed $p1 51 kernel
check "journal: 51 records of the audit transport" test "$(copies audit $p1)" = 51
check "journal: 51 copies of the kernel transport" test "$(copies kernel $p1)" = 51
check "harvest --source journal: exit 0" status 0 JH --pid $p1 --since $since0
check "  51 records once, 51 copies not counted, complete" \
	jqok '.matched == 51 and .duplicates == 51 and .incomplete == false' "$T/out"
check "  (getppid 50 times)" \
	jqok '[.syscalls[] | select(.name == "getppid") | .count] == [50]' "$T/out"
check "run 1 (--state): exit 0" status 0 JH --state "$T/st" --pid $p1
check "  51 records once, 51 copies not counted" \
	jqok '.matched == 51 and .duplicates == 51 and .incomplete == false' "$T/out"
check "the source alone: reads" hj -p $p1
check "  51 records, 51 copies" test "$(jget matched) $(jget duplicates)" = "51 51"
echo "# twin distance: $(jget twin_gap) records"

# records written between two runs: the second run takes exactly those
"$HELPERS/helper-logrun" -n 30 &
p2=$!
ours="$ours|$p2"
wait $p2
landed $p2 31 kernel
check "run 2 (--state): exit 0" status 0 JH --state "$T/st" --pid $p1 --pid $p2
check "  the 31 new records only: none twice, none skipped" \
	jqok '.matched == 31 and .duplicates == 31' "$T/out"
check "run 3 (--state), nothing new: exit 0" status 0 JH --state "$T/st" --pid $p1 --pid $p2
check "  (0 records)" jqok '.matched == 0' "$T/out"
check "from the older checkpoint: exit 0" status 0 JH --state "$T/st0" --pid $p1 --pid $p2
check "  both runs' records (82)" jqok '.matched == 82' "$T/out"
# not following, --source auto takes the journal (netlink holds no past),
# and from the checkpoint saved for it
check "--source auto from the older checkpoint: exit 0" status 0 "$SECLOG" harvest --source auto --json --state "$T/st00" --pid $p1 --pid $p2
check "  the journal, both runs' records (82)" jqok '.sources[0].type == "journal" and .matched == 82' "$T/out"
check "--follow --from-start: both runs' records" status 0 JH --follow --from-start --duration 1 --pid $p1 --pid $p2 --since $since0
check "  (82)" jqok '.matched == 82' "$T/out"
if id nobody >/dev/null 2>&1 && command -v su >/dev/null; then
	check "a user outside systemd-journal and adm: exit 1" status 1 su nobody -s /bin/sh -c "'$SECLOG' harvest --source journal"
	check "  saying what it needs" has 'needs root or the systemd-journal or adm group' "$T/err"
fi
echo "journal bogus" >"$T/bad"
check "a bad cursor in the state: exit 1" status 1 JH --state "$T/bad"
check "  naming it" has 'journal cursor "bogus"' "$T/err"

# follow: from now, records written while it waits
sh -c "sleep 0.5; exec '$HELPERS/helper-logrun' -n 40" &
p3=$!
ours="$ours|$p3"
check "harvest --follow 2 s: exit 0" status 0 JH --follow --duration 2 --pid $p1 --pid $p3
wait $p3
check "  the 41 records written meanwhile, none of before" \
	jqok '.matched == 41 and .duplicates == 41' "$T/out"
sh -c "sleep 0.5; exec '$HELPERS/helper-logrun' -n 40" &
p3=$!
ours="$ours|$p3"
check "follow 2 s (the source alone): reads" hj -F 2 -p $p3
wait $p3
check "  the 41 records" test "$(jget matched) $(jget duplicates)" = "41 41"
check "  it waited (-EAGAIN) between them" test "$(jget eagain)" -gt 0
check "  no record older than a watermark it gave before" test "$(jget watermark_ok)" = 1

# rotation: journald archives its file; a resume reads on into the new one
"$HELPERS/helper-logrun" -n 20 &
pr1=$!
ours="$ours|$pr1"
wait $pr1
journalctl -q --rotate
"$HELPERS/helper-logrun" -n 20 &
pr2=$!
ours="$ours|$pr2"
wait $pr2
landed $pr1 21
landed $pr2 21
check "across a rotation (--state): exit 0" status 0 JH --state "$T/st" --pid $pr1 --pid $pr2
check "  42 records once, none skipped" jqok '.matched == 42 and .duplicates == 42' "$T/out"
check "  (an archived file and the new one)" sh -c "ls /run/log/journal/*/system@*.journal >/dev/null"
# vacuum: the entries after the cursor are gone: a gap, said so
"$HELPERS/helper-logrun" -n 20 &
pv=$!
ours="$ours|$pv"
wait $pv
landed $pv 21
journalctl -q --rotate
sleep 1.1
journalctl -q --vacuum-time=1s
check "vacuumed after the cursor (--state): exit 3" status 3 JH --state "$T/st" --pid $pv
check "  the gap is a loss" jqok '.loss.reasons | map(test("vacuumed")) | any' "$T/out"
check "  (its records are gone)" jqok '.matched == 0' "$T/out"

# journald's rate limit: a unit that floods the journal loses messages,
# and journald says so; its processes' SECCOMP records are all there
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -n "$cg2" ] && mkdir "$cg2/seclog-journal-$$.service" 2>/dev/null; then
	CG=$cg2/seclog-journal-$$.service
	sh -c "echo \$\$ >'$CG/cgroup.procs'
		i=0; while [ \$i -lt 100 ]; do $LOG -t seclog-flood flood\$i; i=\$((i + 1)); done
		exec '$HELPERS/helper-logrun' -n 50" &
	p4=$!
	ours="$ours|$p4"
	wait $p4
	landed $p4 51
	sleep 1.2	# the next message of the unit, after its interval, tells
	# journald finds a sender's unit in /proc while the sender lives: one
	# logger that stays a while
	sh -c "echo \$\$ >'$CG/cgroup.procs'
		for i in 1 2 3; do echo after\$i; sleep 0.2; done | $LOG -t seclog-flood"
	sleep 1
	rmdir "$CG" && CG=
	kept=$(journalctl -o cat -t seclog-flood | grep -c '^flood')
	check "the unit's flood was rate-limited ($kept of 100 kept)" test "$kept" -lt 100
	journalctl -o cat MESSAGE_ID=a596d6fe7bfa4994828e72309e95d61e >"$T/suppressed"
	check "journald says so" has "Suppressed [0-9]* messages from seclog-journal-$$.service" "$T/suppressed"
	check "its process's records: all in the audit transport" test "$(copies audit $p4)" = 51
	check "rate-limited unit: exit 0" status 0 JH --pid $p4
	check "  51 records once, complete (journald's rate limit spares the audit and kernel transports)" \
		jqok '.matched == 51 and .incomplete == false and .loss.reports == 0' "$T/out"
else
	echo "# skip: no cgroup2 hierarchy to make a unit in: journald's rate limit not tested"
fi

# the printk rate limit drops kernel copies: the audit transport has them
sleep 1.1	# --since is whole seconds: start past the second of what came before
since=$(date +%s)
sysctl -q -w kernel.printk_ratelimit=1 kernel.printk_ratelimit_burst=10
# and a followed harvest meanwhile, of the run's tag (auid)
tag=$((70000 + $$ % 10000))
JH --follow --duration 4 --auid $tag >"$T/f5.json" 2>"$T/f5.err" &
h=$!
sleep 0.5
"$HELPERS/helper-logrun" -t $tag -n 100 &
p5=$!
ours="$ours|$p5"
wait $p5
landed $p5 101
sleep 1.2	# the next record, after the interval, tells
"$HELPERS/helper-logrun" -t $tag -n 1 &
p6=$!
ours="$ours|$p6"
wait $p6
landed $p6 2
wait $h
check "followed meanwhile: exit 0" test $? = 0
check "  103 records, complete: the loss report waited for the audit copies" \
	jqok '.matched == 103 and .incomplete == false' "$T/f5.json"
check "journal: kernel copies suppressed" sh -c "journalctl -o cat _TRANSPORT=kernel | grep -q 'kauditd_printk_skb: [0-9]* callbacks suppressed'"
check "  (some, not all, copies of the kernel transport)" test "$(copies kernel $p5)" -lt 101
check "printk-limited: exit 0" status 0 JH --pid $p5 --pid $p6 --since $since
check "  103 records, complete: the audit transport holds the suppressed ones" \
	jqok '.matched == 103 and .incomplete == false' "$T/out"

# journald's audit socket overflows (journald stopped during a burst):
# systemd 252 then stops reading it for good (a burst of 3,000 records
# did it here with the default buffer); then only the kernel copies come,
# and the printk path's losses are losses
kill -STOP $jpid
"$HELPERS/helper-logrun" -n 60000 &
pf=$!
ours="$ours|$pf"
wait $pf
kill -CONT $jpid
sleep 2
sysctl -q -w kernel.printk_ratelimit=0
"$HELPERS/helper-logrun" -n 5 &
p7=$!
ours="$ours|$p7"
wait $p7
sleep 1
if [ "$(copies audit $p7)" = 0 ] && [ "$(copies kernel $p7)" = 6 ]; then
	journalctl -o cat -t systemd-journald >"$T/jd"
	check "journald's audit socket gone (--state): reads" status_any JH --state "$T/st" --pid $p7
	check "  the kernel copies count (6)" jqok '.matched == 6' "$T/out"
	if grep -q 'Got invalid event from epoll for datagram fd' "$T/jd"; then
		check "  journald said its audit socket failed: a loss" \
			jqok '.loss.reasons | map(test("stopped reading its audit socket")) | any' "$T/out"
	else
		echo "# journald's line on its audit socket's failure was lost (kmsg)"
	fi
	sleep 1.1
	since=$(date +%s)
	sysctl -q -w kernel.printk_ratelimit=1 kernel.printk_ratelimit_burst=10
	tag=$((tag + 1))
	JH --follow --duration 3.5 --auid $tag >"$T/f8.json" 2>"$T/f8.err" &
	h=$!
	sleep 0.5
	"$HELPERS/helper-logrun" -t $tag -n 100 &
	p8=$!
	ours="$ours|$p8"
	wait $p8
	sleep 1.2
	"$HELPERS/helper-logrun" -t $tag -n 1 &
	p9=$!
	ours="$ours|$p9"
	wait $p9
	sleep 1
	wait $h
	check "followed meanwhile: exit 3 (incomplete)" test $? = 3
	check "  the printk limit's loss, said before the end" \
		jqok '.incomplete and (.loss.reasons | map(test("printk")) | any)' "$T/f8.json"
	check "no audit transport, printk-limited: exit 3 (incomplete)" status 3 JH --pid $p8 --pid $p9 --since $since
	echo "# $(jq -c '{matched, loss}' "$T/out")"
	check "  the suppressed copies are a loss" \
		jqok '.incomplete and (.loss.reasons | map(test("printk")) | any)' "$T/out"
	check "  only the copies printk let through count" jqok '.matched < 102' "$T/out"
	check "  the warning names the fix" has 'fix:' "$T/err"
else
	echo "# skip: journald still reads its audit socket after an overflow (a newer systemd?)"
fi
[ "$failures" = 0 ] || flooded
finish
