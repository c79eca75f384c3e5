#!/bin/sh
# run-root.sh - seclog run, the whole pass on the real kernel: a shell
# script that forks, run from an empty profile while other processes with
# the same names flood the log with records of their own; the merged
# profile then enforces and the script passes with identical output; a
# second pass adds nothing.  Then the exit statuses.
. "$TESTLIB"

[ "$(id -u)" = 0 ] || skip "not root: tagging a run and reading the kernel's records need root"
need_kernel_records
# a fresh session needs a loginuid we may change
[ "$(cat /proc/self/loginuid)" = 4294967295 ] || [ -w /proc/self/loginuid ] ||
	skip "no /proc/self/loginuid to write"

serialize
old_rl=$(sysctl -n kernel.printk_ratelimit)
flood_pids=
cleanup() {
	for p in $flood_pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	sysctl -q -w kernel.printk_ratelimit="$old_rl"
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
# the printk path (kmsg, when there is no better source) drops records
# past 10 per 5 s: lift it for this test, put it back on every exit
sysctl -q -w kernel.printk_ratelimit=0

echo '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[]}' >"$T/empty.json"
# the enforced control may exit: a process that cannot even exit_group
# spins in glibc's _exit (and under ASan never stops)
echo '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["exit_group","exit"],"action":"SCMP_ACT_ALLOW"}]}' >"$T/control.json"
mkdir "$T/bin" "$T/flood"
# the workload: a script that forks a pipeline and a subshell
cat >"$T/bin/work.sh" <<'EOF'
#!/bin/sh
ls / | wc -l
(cat /etc/hostname >/dev/null; echo sub)
echo done
EOF
chmod +x "$T/bin/work.sh"
"$T/bin/work.sh" >"$T/plain.out"

# which source run takes here: the flood must not overrun a ring reader
"$SECLOG" run -o "$T/probe.json" -- true 2>"$T/probe.err" >/dev/null
src=$(grep -v '^seclog: source: not ' "$T/probe.err" | sed -n 's/^seclog: source: \([a-z.]*\).*/\1/p')
echo "# source: $src"
if [ "$src" = netlink ]; then
	flood="-n 100000"
else
	flood="-n 1000 -d 2000"	# kmsg/journal: about 500 records/s each
fi
# the flood: the same comm as the workload (work.sh) and as its ls, with a
# syscall the workload never makes
cp "$HELPERS/helper-logrun" "$T/flood/work.sh"
cp "$HELPERS/helper-logrun" "$T/flood/ls"
for name in work.sh ls; do
	( while :; do "$T/flood/$name" -s sched_yield $flood || exit; done ) &
	flood_pids="$flood_pids $!"
done
sleep 0.3

"$HELPERS/helper-enforce" "$T/control.json" -- "$T/bin/work.sh" >/dev/null 2>&1
check "control: the script fails under the empty profile, enforced" test $? -ne 0

cp "$T/empty.json" "$T/p.json"
check "run --merge under the flood: the script's own status" \
	status 0 "$SECLOG" run -v --merge "$T/p.json" -- "$T/bin/work.sh"
cp "$T/out" "$T/run.out"
cp "$T/err" "$T/run.err"
check "the script's output comes through unchanged" same "$T/plain.out" "$T/run.out"
check "it ran in a fresh audit session" has 'runs in audit session [0-9]' "$T/run.err"
check "records were merged" has 'added [0-9]* syscalls' "$T/run.err"
check "execve, clone/fork and pipe are in the profile" sh -c \
	"grep -q '\"execve\"' '$T/p.json' && grep -qE '\"(clone|clone3|fork|vfork)\"' '$T/p.json' && grep -qE '\"pipe2?\"' '$T/p.json'"
check "none of the flood's sched_yield leaked in" hasnt '"sched_yield"' "$T/p.json"
check "records of ls (a child) were taken" has 'comm=ls exe=/usr/bin/ls' "$T/run.err"
check "no process of the flood was taken" hasnt "exe=$T/flood" "$T/run.err"

"$HELPERS/helper-enforce" "$T/p.json" -- "$T/bin/work.sh" >"$T/enforced.out" 2>"$T/enforced.err"
check "the script passes under the merged profile, enforced" test $? -eq 0
check "with identical output" same "$T/plain.out" "$T/enforced.out"

cp "$T/p.json" "$T/p1.json"
check "a second pass" status 0 "$SECLOG" run --merge "$T/p.json" -- "$T/bin/work.sh"
check "adds nothing" same "$T/p1.json" "$T/p.json"
check "and says so" has 'up to date, nothing to add' "$T/err"

# --json: the run's records only (the flood made thousands meanwhile)
check "run --json" status 0 "$SECLOG" run -q --json -- "$T/bin/work.sh"
sed -n '/^{/,$p' "$T/out" >"$T/run.json"
check "--json: a few hundred records matched, none of the flood's" \
	jqok '.matched > 20 and .matched < 5000' "$T/run.json"
check "--json: no sched_yield" jqok '[.syscalls[] | select(.name == "sched_yield")] | length == 0' "$T/run.json"

# no tag possible (a login uid set, CAP_AUDIT_CONTROL gone): the run is
# followed by its process tree, still none of the flood's records taken
if command -v setpriv >/dev/null; then
	cp "$T/empty.json" "$T/t.json"
	check "untagged run (no CAP_AUDIT_CONTROL)" status 0 sh -c \
		'echo 0 >/proc/self/loginuid && exec setpriv --bounding-set -audit_control "$@"' sh \
		"$SECLOG" run -v --merge "$T/t.json" -- "$T/bin/work.sh"
	check "... says it follows the process tree" has 'following .*process tree instead' "$T/err"
	check "... the script's output" same "$T/plain.out" "$T/out"
	check "... none of the flood's sched_yield" hasnt '"sched_yield"' "$T/t.json"
	check "... no process of the flood" hasnt "exe=$T/flood" "$T/err"
	"$HELPERS/helper-enforce" "$T/t.json" -- "$T/bin/work.sh" >"$T/enforced.out" 2>&1
	check "... the result enforces, same output" same "$T/plain.out" "$T/enforced.out"
else
	echo "# no setpriv: the untagged run is not tested"
fi

for p in $flood_pids; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
flood_pids=

# signals: ^C goes to CMD, not seclog; a TERM to seclog is passed on
# (a background job starts with SIGINT ignored: env puts the default back)
if env --default-signal=INT true 2>/dev/null; then
	env --default-signal=INT "$SECLOG" run -q -o "$T/sig.json" -- \
		sh -c 'trap "exit 5" INT; sleep 3 & wait' &
	run=$!
	# CMD is the shell once it set its trap and waits on sleep
	for i in $(seq 50); do
		c=$(pgrep -P "$run" -x sh) && pgrep -P "$c" -x sleep >/dev/null && break
		sleep 0.1
	done
	kill -INT "$run"
	sleep 0.1
	kill -INT "$c" 2>/dev/null
	wait "$run"
	check "SIGINT: seclog waits for CMD, exits with its status (5)" test $? -eq 5
	check "... and writes the profile" test -s "$T/sig.json"
else
	echo "# env has no --default-signal: the SIGINT part is not run"
fi
"$SECLOG" run -q -o "$T/sig2.json" -- sleep 5 &
run=$!
sleep 0.4
kill -TERM "$run"
wait "$run"
check "SIGTERM to seclog reaches CMD: 128+15" test $? -eq 143
check "... and the profile is written" test -s "$T/sig2.json"

# complain mode is the profile's complain twin (seclog-complain(1)): what
# it allows makes no record, what only its default denies runs and is
# logged, what a rule of it denies stays denied
cat >"$T/some.json" <<'JSON'
{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[
 {"names":["getdents64","write"],"action":"SCMP_ACT_ALLOW"}]}
JSON
cat >"$T/deny.json" <<'JSON'
{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[
 {"names":["write"],"action":"SCMP_ACT_ALLOW"},
 {"names":["getdents64"],"action":"SCMP_ACT_ERRNO","errnoRet":13}]}
JSON
ls / >"$T/ls.out"
check "run --profile: ls runs although the profile's default denies openat" \
	status 0 "$SECLOG" run -q --json --profile "$T/some.json" -- ls /
sed -n '/^{/,$p' "$T/out" >"$T/some-run.json"
sed '/^{/,$d' "$T/out" >"$T/some-ls.out"
check "... with its usual output" same "$T/ls.out" "$T/some-ls.out"
check "... openat ran and was logged" \
	jqok '[.syscalls[] | select(.name == "openat")] | length == 1' "$T/some-run.json"
check "... the allowed getdents64 and write made no record" \
	jqok '[.syscalls[] | select(.name == "getdents64" or .name == "write")] | length == 0' "$T/some-run.json"
check "a rule that denies getdents64 still denies it: ls fails (2)" \
	status 2 "$SECLOG" run -q --json --profile "$T/deny.json" -- ls /
check "... with the rule's errno (EACCES)" has 'Permission denied' "$T/err"
sed -n '/^{/,$p' "$T/out" >"$T/deny-run.json"
check "... and no getdents64 record, while openat (the default's) has one" \
	jqok '([.syscalls[] | .name] | index("getdents64") == null and index("openat") != null)' "$T/deny-run.json"
check "... the profile itself is untouched" has '"SCMP_ACT_ERRNO","errnoRet":13' "$T/deny.json"
check "--log-denied: the denied getdents64 runs, ls succeeds" \
	status 0 "$SECLOG" run -q --json --log-denied --profile "$T/deny.json" -- ls /
sed -n '/^{/,$p' "$T/out" >"$T/ld-run.json"
check "... and is logged" jqok '[.syscalls[] | .name] | index("getdents64") != null' "$T/ld-run.json"
check "--dry-run: a diff, nothing written" status 0 "$SECLOG" run -q --merge "$T/some.json" --dry-run -- ls /
check "... the diff adds what ls used" has '^+.*"close"' "$T/out"
check "-o: the merge goes to OUT" status 0 "$SECLOG" run -q --merge "$T/some.json" -o "$T/some-out.json" -- ls /
check "... it has what ls used" has '"close"' "$T/some-out.json"
check "... the profile is unchanged" hasnt '"close"' "$T/some.json"

# a 32-bit program under a profile that lists no x86: logged, not killed
if gcc -m32 -static -o "$T/hello32" -x c - 2>/dev/null <<'C'
#include <unistd.h>
int main(void) { write(1, "hi\n", 3); return getpid() > 0 ? 0 : 1; }
C
   "$T/hello32" >/dev/null 2>&1; then
	check "run: an i386 program under an x86_64 profile runs" \
		status 0 "$SECLOG" run -q --json --profile "$T/empty.json" -- "$T/hello32"
	check "... prints" has '^hi$' "$T/out"
	sed -n '/^{/,$p' "$T/out" >"$T/h32.json"
	check "... its calls are logged, named from the x86 table" \
		jqok '[.syscalls[] | select(.arch == "x86") | .name] | index("write") != null' "$T/h32.json"
else
	echo "# no i386 binaries here: the other-arch part is not run"
fi

# exit statuses
check "CMD's status comes through (3)" status 3 "$SECLOG" run -q -o "$T/x.json" -- sh -c 'exit 3'
check "--json tells it too" status 3 "$SECLOG" run -q --json -- sh -c 'exit 3'
check "... as .command" jqok '.command == {"path": "sh", "status": 3}' "$T/out"
check "a CMD killed by a signal: 128+N" status 143 "$SECLOG" run -q -o "$T/x.json" -- sh -c 'kill -TERM $$'
check "CMD not found: 127" status 127 "$SECLOG" run -q -o "$T/y.json" -- "$T/nope"
check "... says so" has "$T/nope: command not found" "$T/err"
check "... and writes nothing" test ! -e "$T/y.json"
printf 'x\n' >"$T/noexec"
check "CMD not executable: 126" status 126 "$SECLOG" run -q -o "$T/y.json" -- "$T/noexec"
# CMD's options are its own: the first non-option ends seclog's
check "options after CMD are CMD's" status 0 "$SECLOG" run -q -o "$T/z.json" ls -d /
check "... ls took -d" has '^/$' "$T/out"
finish
