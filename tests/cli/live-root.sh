#!/bin/sh
# live-root.sh - live harvests of /dev/kmsg with real records: from now,
# until a process exits, a duration or SIGINT; the printk limit's burst
# seen live makes the result incomplete; a --state checkpoint resumes
# after the last message read, with nothing counted twice.
. "$TESTLIB"

[ "$(id -u)" = 0 ] || skip "not root: loading filters and reading /dev/kmsg need root"
need_kernel_records
# with auditd running, nothing reaches the printk path
[ -z "$(pgrep -x auditd)" ] || skip "auditd runs: no record reaches /dev/kmsg"

serialize
old_rl=$(sysctl -n kernel.printk_ratelimit)
old_burst=$(sysctl -n kernel.printk_ratelimit_burst)
cleanup() {
	sysctl -q -w kernel.printk_ratelimit="$old_rl" kernel.printk_ratelimit_burst="$old_burst"
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
sysctl -q -w kernel.printk_ratelimit=0

# a harvest that runs until helper-logrun (started after it) exits: its
# pid is known only once it runs, so a stopped shell stands in for it
cp "$HELPERS/helper-logrun" "$T/live-probe"
run_probe() { # N: the probe makes N getppid records and exits
	"$T/live-probe" -n "$1"
}

# 1. --until-exit: every record of a process that runs after the start
mkfifo "$T/go"
(read x <"$T/go"; run_probe 40) &
waiter=$!
"$SECLOG" harvest --json --source kmsg --until-exit $waiter --comm live-probe >"$T/a.json" 2>"$T/a.err" &
h=$!
sleep 0.5
echo go >"$T/go"
wait $h
rc=$?
check "--until-exit: exit 0" test $rc = 0
check "--until-exit: 41 records (40 getppid, exit_group), from now only" \
	jqok '.matched == 41 and ([.syscalls[] | select(.name == "getppid") | .count] | add) == 40' "$T/a.json"

# 2. --follow: SIGUSR1 tells the result so far and goes on; SIGINT ends
#    it with its result, status 0
"$SECLOG" harvest --source kmsg --follow --comm live-probe >"$T/b.txt" 2>"$T/b.err" &
h=$!
sleep 0.5
run_probe 3
sleep 1.2
kill -USR1 $h
sleep 0.3
run_probe 4
sleep 0.3
kill -INT $h
wait $h
check "--follow, SIGINT: exit 0" test $? = 0
check "  SIGUSR1: the 3 so far, then SIGINT: the 7" \
	test "$(grep getppid "$T/b.txt" | awk '{ print $3 }' | tr '\n' ' ')" = "3 7 "
"$SECLOG" harvest --json --source kmsg --follow --comm live-probe >"$T/b.json" 2>"$T/b.err" &
h=$!
sleep 0.5
run_probe 7
sleep 0.3
kill -TERM $h
wait $h
check "--follow --json, SIGTERM: exit 0" test $? = 0
check "  the records seen until then" jqok '.matched == 8 and .incomplete == false' "$T/b.json"

# 3. --duration: ends by itself
s=$(date +%s%N)
check "--duration 1: exit 0" status 0 "$SECLOG" harvest --source kmsg --duration 1 --comm live-probe
e=$(date +%s%N)
check "  after about a second" test $(((e - s) / 1000000)) -ge 900 -a $(((e - s) / 1000000)) -lt 5000

# 4. the default printk limit: a burst fills it, the rest is dropped;
#    a live read says so at once, without waiting for the kernel's
#    "callbacks suppressed" line (it comes only with a later message)
sysctl -q -w kernel.printk_ratelimit=5 kernel.printk_ratelimit_burst=10
"$SECLOG" harvest --json --source kmsg --follow --comm live-probe >"$T/c.json" 2>"$T/c.err" &
h=$!
sleep 0.5
run_probe 100
sleep 0.5
kill -INT $h
wait $h
check "printk limit: exit 3" test $? = 3
check "  incomplete, fewer than the 101 records" \
	jqok '.incomplete == true and .matched < 101 and (.loss.reasons | length) > 0' "$T/c.json"
check "  the warning names the limit" has 'printk_ratelimit' "$T/c.err"
sysctl -q -w kernel.printk_ratelimit=0
# the limiter's interval must pass before the next test's records
sleep 5

# 5. --state: the second run reads what came after the first, once
"$SECLOG" harvest --json --source kmsg --duration 1.5 --state "$T/st" --comm live-probe >"$T/d1.json" 2>"$T/d1.err" &
h=$!
sleep 0.5
run_probe 5
wait $h
check "--state, first run: 6 records" jqok '.matched == 6' "$T/d1.json"
check "  the checkpoint names kmsg" grep -q '^kmsg boot=.* seq=[0-9]' "$T/st"
run_probe 9
check "--state, second run: exit 0" status 0 "$SECLOG" harvest --json --source kmsg --duration 0.5 --state "$T/st" --comm live-probe
check "  only the 10 written in between" jqok '.matched == 10' "$T/out"
check "--state, third run: nothing new" status 0 "$SECLOG" harvest --json --source kmsg --duration 0.5 --state "$T/st" --comm live-probe
check "  (0)" jqok '.matched == 0' "$T/out"

# 6. --pid N --children: the records of N's descendants, forked after the
#    harvest began, count; an outsider with the same comm does not.  No
#    --source: a followed harvest takes the best live source (auto).
mkfifo "$T/go2"
printf '%s\n' "read x <\"$T/go2\"" "\"$T/live-probe\" -n 5" \
	"sh -c '\"$T/live-probe\" -n 6; true'" >"$T/tree.sh"
sh "$T/tree.sh" &
root=$!
"$SECLOG" harvest --json --pid $root --children --until-exit $root --comm live-probe >"$T/e.json" 2>"$T/e.err" &
h=$!
sleep 0.5
run_probe 20
echo go >"$T/go2"
wait $h
check "--pid --children: exit 0" test $? = 0
check "  the child's and the grandchild's 13 records, not the outsider's 21" \
	jqok '.matched == 13' "$T/e.json"
check "  the source auto took is said" has '^seclog: source: ' "$T/e.err"
finish
