#!/bin/sh
# netlink-root.sh - the netlink source on the real kernel: a burst of
# 100,000 records of one process arrives whole, none lost; a receive buffer
# made tiny (SECLOG_NETLINK_RCVBUF) loses records and says exactly how
# many; root without CAP_AUDIT_READ is told so, and so is a reader in
# another network namespace (the kernel sends nothing there); and it
# reads next to other readers of the same records (a second netlink reader, as journald's
# audit socket is; auditd, started here when installed and not running).
. "$TESTLIB"

D="$HELPERS/netlink-drain"
[ "$(id -u)" = 0 ] || skip "not root: loading filters and joining the audit multicast group need root"
need_kernel_records
"$D" >"$T/probe" 2>&1 || skip "no audit netlink here: $(cat "$T/probe")"

# a burst this test owns: 100,000 records take the CPU for a second
serialize
auditd_pid= gen=
cleanup() {
	[ -n "$gen" ] && kill "$gen" 2>/dev/null
	[ -n "$auditd_pid" ] && kill "$auditd_pid" 2>/dev/null && wait "$auditd_pid"
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

# burst N OUT [ENV...]: helper-logrun -n N, started once the reader(s)
# listen; its pid is known before (exec keeps it), so the readers count
# its records apart from anyone else's.  $gen: its pid.
mkfifo "$T/go"
start_gen() {
	sh -c 'read go <"$1"; exec "$2" -n "$3"' sh "$T/go" "$HELPERS/helper-logrun" "$1" &
	gen=$!
}
ready() {
	for i in $(seq 100); do
		[ -e "$1" ] && return 0
		sleep 0.05
	done
	return 1
}
go() { echo go >"$T/go"; }
# listening PID: PID holds a socket in the audit multicast group (group 1
# of protocol 9 in /proc/net/netlink); waits up to 5 s
listening() {
	for i in $(seq 100); do
		for ino in $(awk '$2 == 9 && $4 == "00000001" { print $10 }' /proc/net/netlink); do
			ls -l "/proc/$1/fd" 2>/dev/null | grep -q "socket:\[$ino\]" && return 0
		done
		sleep 0.05
	done
	return 1
}
val() { sed -n "s/^$1=//p" "$2"; }
# settle: the kernel's audit queue is empty (5 s at most): every record
# made so far is in the readers' sockets, or was dropped there
settle() {
	for i in $(seq 100); do
		[ "$(auditctl -s 2>/dev/null | awk '$1 == "backlog" { print $2 }')" = 0 ] && break
		sleep 0.05
	done
	sleep 0.1
}

# 1. a burst of 100,000 (+1: exit_group), none lost
N=100000
start_gen $N
# it stops by itself once it has them all; TERM after 20 s makes it stop
timeout 20 "$D" -f -r "$T/r1" -p "$gen" -n $((N + 1)) >"$T/d1" 2>"$T/d1.err" &
d=$!
ready "$T/r1"
t0=$(date +%s.%N)
go
wait "$gen"
t1=$(date +%s.%N)
gen=
wait $d
check "burst: the reader ran" test $? = 0
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
echo "# burst of $N records emitted in $secs s: $(val pid_records "$T/d1") read, lost $(val lost "$T/d1")"
check "burst: every record of the generator arrived ($(val pid_records "$T/d1"))" test "$(val pid_records "$T/d1")" = $((N + 1))
check "burst: none lost" test "$(val lost "$T/d1")" = 0
check "burst: no loss report" test "$(val loss_reports "$T/d1")" = 0
check "burst: none malformed" test "$(val malformed "$T/d1")" = 0
check "burst: the buffer was raised (root: SO_RCVBUFFORCE)" test -z "$(val note "$T/d1")"
check "burst: in a few seconds" awk -v s="$secs" 'BEGIN { exit !(s < 10) }'

# 2. a tiny buffer overflows: ENOBUFS, the drops counted exactly.  The
#    reader is stopped during the burst, so that it overflows however
#    fast the reader and slow the generator (a busy host).
N=20000
start_gen $N
SECLOG_NETLINK_RCVBUF=4096 "$D" -f -r "$T/r2" -p "$gen" >"$T/d2" 2>"$T/d2.err" &
d=$!
ready "$T/r2"
kill -STOP $d
go
wait "$gen"
gen=
settle
kill -CONT $d
sleep 0.3
kill -TERM $d
wait $d
check "tiny buffer: the reader ran" test $? = 0
got=$(val pid_records "$T/d2")
lost=$(val lost "$T/d2")
echo "# tiny buffer: $got of $((N + 1)) read, $lost lost in $(val loss_reports "$T/d2") reports"
check "tiny buffer: records were lost" test "$got" -lt $((N + 1))
check "tiny buffer: loss reported" test "$(val loss_reports "$T/d2")" -gt 0
check "tiny buffer: the count is the kernel's (read + lost covers the burst)" \
	test $((got + lost)) -ge $((N + 1))
check "tiny buffer: source stats agree" test "$lost" = "$(val stats_lost "$T/d2")"

# the same through seclog harvest: --source netlink until the generator
# exits, every record counted, the result complete
N=100000
start_gen $N
"$SECLOG" harvest --json --source netlink --until-exit "$gen" --pid "$gen" >"$T/h1.json" 2>"$T/h1.err" &
h=$!
listening $h
go
wait $h
check "harvest --source netlink: exit 0" test $? = 0
gen=
check "  every record of the burst counted ($(jq .matched "$T/h1.json"))" \
	jqok ".matched == $((N + 1)) and ([.syscalls[] | select(.name == \"getppid\") | .count] | add) == $N" "$T/h1.json"
check "  complete, no loss" jqok '.incomplete == false and .loss.records == 0' "$T/h1.json"

# and with a tiny buffer (and the harvest stopped during the burst): what
# was lost makes it incomplete (exit 3)
N=20000
start_gen $N
SECLOG_NETLINK_RCVBUF=4096 "$SECLOG" harvest --json --source netlink --until-exit "$gen" \
	--pid "$gen" >"$T/h2.json" 2>"$T/h2.err" &
h=$!
listening $h
kill -STOP $h
go
wait "$gen"
settle
kill -CONT $h
wait $h
check "harvest, tiny buffer: exit 3 (incomplete)" test $? = 3
gen=
check "  lost records counted, with the kernel's count" \
	jqok ".incomplete == true and .loss.records > 0 and .matched + .loss.records >= $((N + 1))" "$T/h2.json"

# 3. root without CAP_AUDIT_READ: told which capability
if setpriv --bounding-set=-audit_read --inh-caps=-audit_read true 2>/dev/null; then
	check "no CAP_AUDIT_READ: fails" status 1 \
		setpriv --bounding-set=-audit_read --inh-caps=-audit_read "$D"
	check "  naming the capability" has 'CAP_AUDIT_READ' "$T/err"
fi

# 4. in another network namespace the kernel sends nothing: refused, why said
if unshare -n true 2>/dev/null; then
	check "other network namespace: refused" status 1 unshare -n "$D"
	check "  saying why" has "network namespace" "$T/err"
fi

# 5. next to other readers: a second netlink reader (journald's audit
#    socket is one) and auditd, which takes the unicast path
if command -v auditd >/dev/null && ! pidof auditd >/dev/null; then
	old_enabled=$(auditctl -s 2>/dev/null | awk '$1 == "enabled" { print $2 }')
	start_auditd "$T/audit" RAW
fi
N=20000
start_gen $N
timeout 20 "$D" -f -r "$T/r3" -p "$gen" -n $((N + 1)) >"$T/d3" 2>&1 &
d=$!
timeout 20 "$D" -f -r "$T/r4" -p "$gen" -n $((N + 1)) >"$T/d4" 2>&1 &
d2=$!
ready "$T/r3"
ready "$T/r4"
go
wait "$gen"
g=$gen
gen=
wait $d $d2
check "two readers: the first has them all" test "$(val pid_records "$T/d3")" = $((N + 1))
check "two readers: the second too" test "$(val pid_records "$T/d4")" = $((N + 1))
check "two readers: none lost" test "$(val lost "$T/d3")$(val lost "$T/d4")" = 00
if [ -n "$auditd_pid" ]; then
	sleep 1	# auditd flushes asynchronously
	kill "$auditd_pid"
	wait "$auditd_pid" 2>/dev/null
	auditd_pid=
	# auditd 3.0.9 leaves auditing enabled when it stops: put back what was
	[ -n "$old_enabled" ] && [ "$old_enabled" != 2 ] && auditctl -e "$old_enabled" >/dev/null
	a=$(grep -c "^type=SECCOMP .* pid=$g " "$T/audit/audit.log")
	check "with auditd running: auditd got them too ($a)" test "$a" = $((N + 1))
else
	echo "# auditd not installed or already running: the auditd part not run"
fi
finish
