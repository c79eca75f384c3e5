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
check "state saved the originals" jqok '.saved["kernel.printk_ratelimit"] == "5" and .owner == 0' "$state"
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
