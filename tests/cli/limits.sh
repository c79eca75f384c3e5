#!/bin/sh
# limits.sh - seclog limits lift/restore, harvest --lift-limits on every exit
# path, the stale state of a killed seclog, a lift that fails half-way, and
# a real burst of 500 records with lifted and with default limits
. "$TESTLIB"

[ "$(id -u)" = 0 ] || skip "not root: changing kernel limits needs root"
serialize

state="$T/limits.state"
values() {	# the liftable settings' values, one "name=value" per line
	"$SECLOG" limits status --json | jq -r '.[] | select(.lift_to != null or (.name | test("^(kernel|net|audit)\\."))) | "\(.name)=\(.value)"' | grep -v '^audit.lost='
}
get() { sysctl -n "$1"; }

# Leave the host exactly as found, whatever happens below.
values >"$T/orig"
orig_rl=$(get kernel.printk_ratelimit)
orig_burst=$(get kernel.printk_ratelimit_burst)
orig_cost=$(get net.core.message_cost)
orig_mburst=$(get net.core.message_burst)
cleanup() {
	"$SECLOG" limits restore -q --state "$state" 2>/dev/null
	"$SECLOG" limits restore -q 2>/dev/null
	sysctl -q -w kernel.printk_ratelimit="$orig_rl" kernel.printk_ratelimit_burst="$orig_burst" \
		net.core.message_cost="$orig_cost" net.core.message_burst="$orig_mburst"
	auditctl -d never,exclude -F msgtype=SECCOMP >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

# start from the kernel's defaults for the printk limit, so lifting changes it
sysctl -q -w kernel.printk_ratelimit=5 kernel.printk_ratelimit_burst=10
values >"$T/before"

check "status" status 0 "$SECLOG" limits status
check "status shows printk_ratelimit as a problem without auditd" sh -c "pidof auditd >/dev/null || grep -q '^kernel.printk_ratelimit  *PROBLEM  *0 ' '$T/out'"
check "status --json" sh -c "'$SECLOG' limits status --json | jq -e 'map(select(.name == \"net.core.message_cost\"))[0].problem == false' >/dev/null"

# lift, lift again, restore
check "lift" status 0 "$SECLOG" limits lift --state "$state"
check "printk_ratelimit lifted to 0" test "$(get kernel.printk_ratelimit)" = 0
check "printk_ratelimit_burst lifted" test "$(get kernel.printk_ratelimit_burst)" -ge 10000
check "net.core.message_cost lifted (for those who expect it)" test "$(get net.core.message_cost)" = 0
check "actions_logged has log" grep -qw log /proc/sys/kernel/seccomp/actions_logged
check "state saved the originals" jqok '.saved["kernel.printk_ratelimit"] == "5" and .manual == true and .holders == []' "$state"
check "state file is private" test "$(stat -c %a "$(dirname "$state")")" != 777
cp "$state" "$T/state1"
check "lift twice" status 0 "$SECLOG" limits lift --state "$state"
check "lift twice says the originals are kept" has 'already held the original values' "$T/err"
check "lift twice kept the original values" same "$T/state1" "$state"
check "restore" status 0 "$SECLOG" limits restore --state "$state"
values >"$T/after"
check "restore put back exactly the values" same "$T/before" "$T/after"
check "restore removed the state file" test ! -e "$state"
check "restore with nothing lifted" status 0 "$SECLOG" limits restore --state "$state"
check "restore with nothing lifted says so" has 'nothing to restore' "$T/err"
check "bad subcommand" status 2 "$SECLOG" limits frob
check "no subcommand shows the status" status 0 "$SECLOG" limits
check "... the same as status" sh -c "'$SECLOG' limits status | cmp -s - '$T/out'"

# not root: refused, naming the capability, nothing changed
if command -v setpriv >/dev/null; then
	mkdir -m 777 "$T/open"
	check "lift as nobody fails" status 1 setpriv --reuid=65534 --regid=65534 --clear-groups "$SECLOG" limits lift --state "$T/open/nobody.state"
	check "... and names what is missing" has 'needs root' "$T/err"
	values >"$T/after"
	check "... and changed nothing" same "$T/before" "$T/after"
	check "... and saved no state" test ! -e "$T/open/nobody.state"
fi

# a failure half-way puts back what was already changed
if unshare -m true 2>/dev/null; then
	check "lift failing on a read-only message_burst" status 1 unshare -m sh -c \
		"mount --bind /proc/sys/net/core/message_burst /proc/sys/net/core/message_burst &&
		 mount -o remount,bind,ro /proc/sys/net/core/message_burst &&
		 exec '$SECLOG' limits lift --state '$state'"
	check "... names the setting" has 'net.core.message_burst: Read-only file system' "$T/err"
	values >"$T/after"
	check "... and put back the ones it had changed" same "$T/before" "$T/after"
	check "... and left no state file" test ! -e "$state"
fi

# harvest --lift-limits: lifted while it runs, restored on every exit path
mkfifo "$T/fifo"
for sig in INT TERM HUP; do
	sleep 1000 >"$T/fifo" &	# a writer that never writes: the harvest waits
	writer=$!
	"$SECLOG" harvest --lift-limits -q -f "$T/fifo" >/dev/null 2>"$T/err.$sig" &
	pid=$!
	i=0
	while [ $i -lt 50 ] && [ "$(get kernel.printk_ratelimit)" != 0 ]; do sleep 0.1; i=$((i + 1)); done
	check "harvest --lift-limits lifted (SIG$sig run)" test "$(get kernel.printk_ratelimit)" = 0
	kill -$sig $pid
	wait $pid
	rc=$?
	kill $writer 2>/dev/null
	wait $writer 2>/dev/null
	check "SIG$sig: harvest died of the signal" test $rc -gt 128
	values >"$T/after"
	check "SIG$sig: limits restored" same "$T/before" "$T/after"
	check "SIG$sig: no state left" test ! -e /run/seclog/limits.state
done
printf 'type=SECCOMP msg=audit(1.000:%d): arch=c000003e syscall=%d\n' $(seq 1 600 | awk '{ print $1, $1 % 300 }') >"$T/many.txt"
# the reader is gone before seclog writes a byte: SIGPIPE, surely
(sleep 0.5; cat "$T/many.txt") >"$T/fifo" &
"$SECLOG" harvest --lift-limits -q -f "$T/fifo" | true
wait
check "a reader that goes away (SIGPIPE) restores too" test "$(get kernel.printk_ratelimit)" = 5
check "... and leaves no state" test ! -e /run/seclog/limits.state
check "normal end restores too" sh -c "'$SECLOG' harvest --lift-limits -q -f /dev/null && test \"\$(sysctl -n kernel.printk_ratelimit)\" = 5"
check "an error exit restores too" sh -c "! '$SECLOG' harvest --lift-limits -q -f '$T/missing' 2>/dev/null && test \"\$(sysctl -n kernel.printk_ratelimit)\" = 5"

# killed hard: the next seclog command restores and says so
sleep 1000 >"$T/fifo" &
writer=$!
"$SECLOG" harvest --lift-limits -q -f "$T/fifo" >/dev/null 2>&1 &
pid=$!
i=0
while [ $i -lt 50 ] && [ "$(get kernel.printk_ratelimit)" != 0 ]; do sleep 0.1; i=$((i + 1)); done
kill -KILL $pid
wait $pid 2>/dev/null
kill $writer 2>/dev/null
wait $writer 2>/dev/null
check "after kill -9 the limits are still lifted" test "$(get kernel.printk_ratelimit)" = 0
check "the next seclog command" status 0 "$SECLOG" limits status
check "... restores the stale state and says so" has "restored the limits seclog (pid $pid) left lifted" "$T/err"
values >"$T/after"
check "... to the exact values" same "$T/before" "$T/after"

# --lift-limits with several harvests: every change to the state is made
# under its lock; each harvest is a holder (pid and start time); the last
# holder to leave restores.  A harvest here reads a FIFO until its writer goes.
run=/run/seclog/limits.state
wait_state() {	# JQ: poll the default state file until the filter holds (5 s)
	i=0
	while [ $i -lt 50 ]; do
		jq -e "$1" "$run" >/dev/null 2>&1 && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "  state never matched $1:" >&2
	cat "$run" >&2 2>/dev/null
	return 1
}
start_harvests() {	# NAME...: writers first, then the harvests back to back
	for n in "$@"; do
		mkfifo "$T/$n.fifo"
		sleep 1000 >"$T/$n.fifo" &
		eval "w_$n=\$!"
	done
	for n in "$@"; do
		"$SECLOG" harvest --lift-limits -q -f "$T/$n.fifo" >/dev/null 2>"$T/$n.err" &
		eval "h_$n=\$!"
	done
}
end_harvest() {	# NAME: its writer goes, it reads the end; returns its exit status
	eval "kill \$w_$1; wait \$w_$1 2>/dev/null; wait \$h_$1"
}

start_harvests a
wait_state '.holders | length == 1' >/dev/null
start_harvests b
check "two harvests: both hold the lift" wait_state "[.holders[].pid] | sort == ([$h_a, $h_b] | sort)"
check "... the originals are saved, not lifted values" jqok '.saved["kernel.printk_ratelimit"] == "5"' "$run"
end_harvest a
check "the first to leave exits 0" test $? = 0
check "... and leaves the limits lifted for the other" test "$(get kernel.printk_ratelimit)" = 0
check "... the state names the other only" jqok "[.holders[].pid] == [$h_b] and .manual == false" "$run"
end_harvest b
check "the last to leave exits 0" test $? = 0
values >"$T/after"
check "... and restores the exact values" same "$T/before" "$T/after"
check "... and removes the state" test ! -e "$run"
check "... with nothing on stderr" sh -c "! cat '$T/a.err' '$T/b.err' | grep -q ."

# lifts racing each other: none may take another's lifted values for the originals
for round in 1 2 3; do
	start_harvests r${round}a r${round}b r${round}c r${round}d
	check "race $round: four holders" wait_state '.holders | length == 4'
	check "race $round: the originals saved" jqok '.saved["kernel.printk_ratelimit"] == "5" and .saved["kernel.printk_ratelimit_burst"] == "10" and .saved["net.core.message_cost"] == "'"$orig_cost"'"' "$run"
	for n in a b c d; do end_harvest r$round$n; done
	values >"$T/after"
	check "race $round: restored exactly" same "$T/before" "$T/after"
	check "race $round: no state left" test ! -e "$run"
done

# a dead holder is dropped; the one left restores when it goes
start_harvests k
wait_state '.holders | length == 1' >/dev/null
kill -KILL $h_k
wait $h_k 2>/dev/null
start_harvests l
check "a harvest after one killed holds alone" wait_state "[.holders[].pid] == [$h_l]"
check "... with the first's originals" jqok '.saved["kernel.printk_ratelimit"] == "5"' "$run"
kill $w_k
end_harvest l
values >"$T/after"
check "... and restores them when it goes" same "$T/before" "$T/after"

# a holder is a pid and its start time: a reused pid is not the holder
mkdir -p -m 700 /run/seclog
self_start=$(sed 's/.*) //' /proc/$$/stat | cut -d' ' -f20)
sysctl -q -w kernel.printk_ratelimit=0
jq -n --argjson pid $$ '{version: 2, manual: false, holders: [{pid: $pid, start: 1}], saved: {"kernel.printk_ratelimit": "5"}}' >"$run"
check "a live pid with another start time" status 0 "$SECLOG" limits status
check "... is no holder: the state is restored" test "$(get kernel.printk_ratelimit)" = 5
check "... naming it" has "restored the limits seclog (pid $$) left lifted" "$T/err"
check "... and removed" test ! -e "$run"
sysctl -q -w kernel.printk_ratelimit=0
jq -n --argjson pid $$ --argjson start "$self_start" '{version: 2, manual: false, holders: [{pid: $pid, start: $start}], saved: {"kernel.printk_ratelimit": "5"}}' >"$run"
check "the same pid with its own start time" status 0 "$SECLOG" limits status
check "... is a live holder: still lifted" test "$(get kernel.printk_ratelimit)" = 0
check "restore by hand while it holds" status 0 "$SECLOG" limits restore
check "... restores all the same" test "$(get kernel.printk_ratelimit)" = 5
check "... and says who still held it" has "pid $$ (seclog harvest --lift-limits) still held the limits lifted" "$T/err"
check "... and removes the state" test ! -e "$run"

# restore by hand while a real harvest holds; the harvest then ends cleanly
start_harvests m
wait_state '.holders | length == 1' >/dev/null
check "restore by hand under a running harvest" status 0 "$SECLOG" limits restore
check "... names the harvest" has "pid $h_m (seclog harvest" "$T/err"
values >"$T/after"
check "... restores" same "$T/before" "$T/after"
end_harvest m
check "... the harvest then exits 0" test $? = 0
check "... quietly" test ! -s "$T/m.err"
values >"$T/after"
check "... and leaves the values restored" same "$T/before" "$T/after"

# a lift by hand outlives the harvests that join it
"$SECLOG" limits lift -q
start_harvests n
check "a harvest joins a lift by hand" wait_state ".manual == true and [.holders[].pid] == [$h_n]"
check "status says who holds the lift" sh -c "'$SECLOG' limits status | grep -qx \"seclog lifted these limits ($run): by 'seclog limits lift', and for seclog harvest --lift-limits, pid $h_n; 'seclog limits restore' puts them back\""
end_harvest n
check "... and leaves it lifted" test "$(get kernel.printk_ratelimit)" = 0
check "... kept by hand" jqok '.manual == true and .holders == []' "$run"
"$SECLOG" limits restore -q
values >"$T/after"
check "restore ends it" same "$T/before" "$T/after"

# root never writes its state through a link another user could plant
mkdir -m 700 "$T/sd"
echo precious >"$T/victim"
ln -s "$T/victim" "$T/sd/limits.state"
check "a state file that is a symlink is refused" status 1 "$SECLOG" limits lift --state "$T/sd/limits.state"
check "... saying so" has 'symbolic link' "$T/err"
check "... its target untouched" test "$(cat "$T/victim")" = precious
values >"$T/after"
check "... and nothing changed" same "$T/before" "$T/after"
check "restore refuses it too" status 1 "$SECLOG" limits restore --state "$T/sd/limits.state"
check "... its target untouched" test "$(cat "$T/victim")" = precious
rm "$T/sd/limits.state"
ln -sf "$T/victim2" "$T/sd/limits.state.lock"
check "a lock file that is a symlink is refused" status 1 "$SECLOG" limits lift --state "$T/sd/limits.state"
check "... its target not created" test ! -e "$T/victim2"
rm "$T/sd/limits.state.lock"
mkdir "$T/real"
ln -s "$T/real" "$T/linkdir"
check "a state directory that is a symlink is refused" status 1 "$SECLOG" limits lift --state "$T/linkdir/limits.state"
check "... saying so" has 'not a directory' "$T/err"
check "... nothing written there" test -z "$(ls -A "$T/real")"
mkdir -m 1777 "$T/shared"
check "a directory others can write to is refused" status 1 "$SECLOG" limits lift --state "$T/shared/limits.state"
check "... saying so" has 'can be written by other users' "$T/err"
check "... nothing written there" test -z "$(ls -A "$T/shared")"
mkdir -m 700 "$T/theirs"
chown 65534 "$T/theirs"
check "another user's directory is refused" status 1 "$SECLOG" limits lift --state "$T/theirs/limits.state"
check "... saying so" has 'belongs to uid 65534' "$T/err"
values >"$T/after"
check "... and nothing changed" same "$T/before" "$T/after"
: >"$T/sd/.limits.state.0123456789ab"
check "lift in a private directory" status 0 "$SECLOG" limits lift -q --state "$T/sd/limits.state"
check "... removes a temporary a killed seclog left" test ! -e "$T/sd/.limits.state.0123456789ab"
check "... writes the state mode 0600" test "$(stat -c %a "$T/sd/limits.state")" = 600
"$SECLOG" limits restore -q --state "$T/sd/limits.state"
rm -rf /run/seclog
"$SECLOG" harvest --lift-limits -q -f /dev/null
check "/run/seclog is made a directory of root's, mode 0700" test "$(stat -c '%F %U %a' /run/seclog)" = "directory root 700"
if command -v setpriv >/dev/null; then
	check "restore as nobody fails" status 1 setpriv --reuid=65534 --regid=65534 --clear-groups "$SECLOG" limits restore
	check "... saying what it needs" has 'run as root.*CAP_SYS_ADMIN.*CAP_AUDIT_CONTROL' "$T/err"
fi

# a real burst of 500 records on the printk path
if pidof auditd >/dev/null; then
	echo "# auditd is running: records go to audit.log, not the printk path; burst part not run"
else
	# burst: 500 getppid() under SCMP_ACT_LOG, read from /dev/kmsg as they
	# come (the ring holds about 128 KiB, 500 records fill it: reading it
	# afterwards would lose the oldest to whatever the kernel logs next).
	# 100 us apart: 50 ms in all, still 50 times what the printk limit
	# lets through, and a reader on a busy machine keeps up.
	burst() {
		start=$(date +%s)
		cat /dev/kmsg >"$T/kmsg.txt" &
		reader=$!
		sleep 0.5
		"$HELPERS/helper-logrun" -d 100 -n 500 &
		bpid=$!
		wait $bpid
		sleep 6	# past the 5 s interval: the next record prints the suppressed count
		"$HELPERS/helper-logrun" -n 1
		sleep 0.5
		kill -0 $reader 2>/dev/null || echo "# the /dev/kmsg reader fell behind the ring and stopped"
		kill $reader
		wait $reader 2>/dev/null
		"$SECLOG" harvest -f "$T/kmsg.txt" --pid $bpid --since "$start" --json >"$T/burst.json" 2>"$T/burst.err"
	}
	"$SECLOG" limits lift -q --state "$state"
	burst
	check "lifted: harvest exit 0" test $? = 0
	check "lifted: all 500 records reached kmsg" jqok '[.syscalls[] | select(.name == "getppid")][0].count == 500 and .incomplete == false' "$T/burst.json"
	"$SECLOG" limits restore -q --state "$state"
	check "default limits in place again" test "$(get kernel.printk_ratelimit)" = 5
	sleep 6
	burst
	check "default limits: harvest exit 3" test $? = 3
	check "default limits: reported incomplete" jqok '.incomplete == true and .loss.reports > 0 and ([.syscalls[] | select(.name == "getppid")][0].count < 500)' "$T/burst.json"
	check "default limits: the warning names the knob" grep -q 'kernel.printk_ratelimit=0' "$T/burst.err"
	echo "# default limits let $(jq '[.syscalls[] | select(.name == "getppid")][0].count' "$T/burst.json") of 500 through; kernel reported $(jq .loss.records "$T/burst.json") suppressed"
fi

# doctor sees an audit rule that excludes SECCOMP records
if command -v auditctl >/dev/null; then
	auditctl -d never,exclude -F msgtype=SECCOMP >/dev/null 2>&1
	auditctl -a never,exclude -F msgtype=SECCOMP >/dev/null
	check "doctor with an exclude rule: exit 1" status 1 "$SECLOG" doctor
	check "doctor names the rule" has '^PROBLEM  *audit exclude rules .*-a never,exclude -F msgtype=SECCOMP' "$T/out"
	check "doctor gives the fix" has 'fix: auditctl -d never,exclude -F msgtype=SECCOMP' "$T/out"
	check "doctor --json" sh -c "'$SECLOG' doctor --json | jq -e '.ok == false and (.checks | map(select(.check == \"audit exclude rules\"))[0].status == \"PROBLEM\")' >/dev/null"
	auditctl -d never,exclude -F msgtype=SECCOMP >/dev/null
	"$SECLOG" doctor --json >"$T/doc.json"
	check "rule removed: doctor no longer reports it" jqok '.checks | map(select(.check == "audit exclude rules"))[0].status == "ok"' "$T/doc.json"
fi
"$SECLOG" limits lift -q --state "$state"
check "doctor with lifted limits: no limit problem" sh -c "'$SECLOG' doctor --json | jq -e '[.checks[] | select(.status == \"PROBLEM\" and (.check | test(\"^(kernel|audit|net)\\\\.\")))] | length == 0' >/dev/null"
"$SECLOG" limits restore -q --state "$state"
finish
