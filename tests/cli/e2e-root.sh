#!/bin/sh
# e2e-root.sh - the whole loop on the real kernel: a program under a real
# SCMP_ACT_LOG filter, its records harvested from where this host writes
# them, merged into an enforce profile (default SCMP_ACT_ERRNO), and the
# same program then run under that profile, enforced, successfully.
. "$TESTLIB"

[ "$(id -u)" = 0 ] || skip "not root: loading filters and reading the kernel log need root"
need_kernel_records

serialize
# The printk path drops records past 10 per 5 s; auditd's path does not.
# Lift the printk limit for this test only and put it back on every exit.
old_rl=$(sysctl -n kernel.printk_ratelimit)
old_burst=$(sysctl -n kernel.printk_ratelimit_burst)
old_enabled=$(auditctl -s 2>/dev/null | awk '$1 == "enabled" { print $2 }')
auditd_pid=
cleanup() {
	sysctl -q -w kernel.printk_ratelimit="$old_rl" kernel.printk_ratelimit_burst="$old_burst"
	[ -n "$auditd_pid" ] && kill "$auditd_pid" 2>/dev/null && sleep 0.5
	# auditd 3.0.9 leaves auditing enabled when it stops: put back what was
	[ -n "$old_enabled" ] && [ "$old_enabled" != 2 ] && auditctl -e "$old_enabled" >/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
sysctl -q -w kernel.printk_ratelimit=0

# nothing allowed but dying: a process that cannot even exit_group spins
# in glibc's _exit (and under ASan never stops)
cat >"$T/empty.json" <<'JSON'
{
    "defaultAction": "SCMP_ACT_ERRNO",
    "defaultErrnoRet": 1,
    "syscalls": [
        {
            "names": ["exit_group", "exit"],
            "action": "SCMP_ACT_ALLOW"
        }
    ]
}
JSON

# loop ARGS...: log, harvest, merge, enforce; $1 says where to harvest from
loop() {
	src=$1
	shift
	cp "$T/empty.json" "$T/p.json"
	# --since is whole seconds: a ring wrapped by an earlier test within
	# this second would begin after it (a real loss, exit 3); step past it
	sleep 1.1
	start=$(date +%s)
	"$HELPERS/helper-logrun" -- "$@" >"$T/logged.out" 2>&1 &
	pid=$!
	wait $pid
	sleep 1	# let the kernel and daemons flush
	if [ "$src" = default ]; then
		"$SECLOG" harvest -v --pid "$pid" --since "$start" --merge "$T/p.json" 2>"$T/h.err"
	else
		"$SECLOG" harvest -v -f "$src" --pid "$pid" --since "$start" --merge "$T/p.json" 2>"$T/h.err"
	fi
}

# 1. wherever the host writes records (no -f): audit.log under auditd,
#    otherwise the printk path (/dev/kmsg, kern.log)
"$HELPERS/helper-enforce" "$T/empty.json" -- ls / >/dev/null 2>&1
check "control: ls fails under the empty enforce profile" test $? -ne 0
ls / >"$T/plain.out"
check "harvest from the host's default sources" loop default ls /
check "records were found" grep -q 'added [0-9]* syscalls' "$T/h.err"
check "the profile names execve and openat" sh -c "grep -q '\"execve\"' '$T/p.json' && grep -q '\"openat\"' '$T/p.json'"
"$HELPERS/helper-enforce" "$T/p.json" -- ls / >"$T/enforced.out" 2>&1
check "ls succeeds under the merged profile, enforced" test $? -eq 0
check "and prints the same as unconfined" same "$T/plain.out" "$T/enforced.out"
cp "$T/p.json" "$T/p1.json"
loop default ls / >/dev/null
check "second pass: profile unchanged" same "$T/p1.json" "$T/p.json"

# 2. i386: a 32-bit program's records, named with the x86 table
if gcc -m32 -static -o "$T/hello32" -x c - 2>/dev/null <<'C'
#include <unistd.h>
int main(void) { write(1, "hi\n", 3); return getpid() > 0 ? 0 : 1; }
C
then
	i386_ok=yes
	"$T/hello32" >/dev/null 2>&1 || i386_ok=
fi
if [ -n "${i386_ok:-}" ]; then
	cp "$T/empty.json" "$T/p32.json"
	sleep 1.1	# as in loop()
	start=$(date +%s)
	"$HELPERS/helper-logrun" -x -- "$T/hello32" >/dev/null &
	pid=$!
	wait $pid
	sleep 1
	check "i386 harvest" status 0 "$SECLOG" harvest --pid "$pid" --since "$start" --json
	check "i386 records named from the x86 table" jqok '[.syscalls[] | select(.arch == "x86") | .name] | index("write") != null' "$T/out"
	check "i386 + --add-arch merge" status 0 "$SECLOG" harvest --pid "$pid" --since "$start" --merge "$T/p32.json" --add-arch
	check "SCMP_ARCH_X86 added" has SCMP_ARCH_X86\" "$T/p32.json"
	"$HELPERS/helper-enforce" "$T/p32.json" -- "$T/hello32" >"$T/h32.out" 2>&1
	check "32-bit program runs under its merged profile" has '^hi$' "$T/h32.out"
else
	echo "# no i386 binaries here (gcc-multilib missing, or a kernel without IA32 emulation): i386 part not run"
fi

# 3. auditd's log, when auditd is installed and not already running
if command -v auditd >/dev/null && ! pidof auditd >/dev/null; then
	start_auditd "$T/audit" ENRICHED
	if [ -n "$auditd_pid" ]; then
		check "auditd: harvest from its ENRICHED audit.log" loop "$T/audit/audit.log" ls /
		"$HELPERS/helper-enforce" "$T/p.json" -- ls / >"$T/enforced2.out" 2>&1
		check "auditd: ls succeeds under the merged profile" test $? -eq 0
		check "auditd: same output" same "$T/plain.out" "$T/enforced2.out"
		kill "$auditd_pid"
		wait "$auditd_pid" 2>/dev/null
		auditd_pid=
	else
		echo "# auditd did not start here: auditd part not run"
		auditd_pid=
	fi
fi
finish
